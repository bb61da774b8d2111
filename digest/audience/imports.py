"""Imports in the browser and through the API: a CSV kept under `<data_dir>/uploads/` while its
columns are mapped and its first rows previewed (subscribers.importer.read, the import's own parse
path), then imported as a background job of kind "import" (digest.jobs) whose report is the
rejected rows (formula-safe CSV); the import is audited with its list and counts, and the upload
deleted once imported. Uploads never imported are deleted after KEEP seconds."""

from __future__ import annotations

import csv
import itertools
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digest.accounts import audit
from digest.audience import members
from digest.audience.service import Audience
from digest.domain import Actor, Job
from digest.errors import Invalid, NotFound
from digest.jobs import Context, JobRunner
from subscribers.csvsafe import restore
from subscribers.errors import InvalidValue
from subscribers.importer import (
    TARGETS,
    CsvFormat,
    Entry,
    RejectedRows,
    RowError,
    csv_format,
    data_lines,
    header_of,
    read,
    targets,
)
from subscribers.service import require_list

KIND = "import"
MAX_UPLOAD = 2 * 1024**3  # bytes
PREVIEW_ROWS = 10
KEEP = 24 * 3600.0  # seconds an upload not imported is kept
MAX_NAME = 200
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Upload:
    id: str  # random: the upload's only name on disk
    path: Path
    name: str  # the file's name as it was uploaded
    size: int
    format: CsvFormat  # detected once, when it was kept
    list_id: str | None


class Uploads:
    """The uploads folder: a file is written as `<id>.part`, kept as `<id>.csv` beside its
    `<id>.json` (its name, size, format and list)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def new(self) -> tuple[str, Path]:
        """A fresh id and the path to write the upload to; uploads older than KEEP go first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        old = time.time() - KEEP
        for stale in self.folder.iterdir():
            try:
                if stale.stat().st_mtime < old:
                    stale.unlink()
            except FileNotFoundError:  # another request took it first
                continue
        upload_id = secrets.token_urlsafe(18)
        return upload_id, self.folder / f"{upload_id}.part"

    def keep(self, upload_id: str, name: str, list_id: str | None) -> Upload:
        """The written file, kept with its detected format (Invalid, and deleted, when it is empty)."""
        part = self.folder / f"{upload_id}.part"
        name = Path(name.replace("\\", "/")).name[:MAX_NAME] or "upload.csv"
        if part.stat().st_size == 0:
            part.unlink()
            raise InvalidValue("file", name, "is empty: choose a CSV file with a header row")
        path = part.rename(self.folder / f"{upload_id}.csv")
        fmt = csv_format(path)
        meta = {"name": name, "size": path.stat().st_size, "encoding": fmt.encoding, "delimiter": fmt.delimiter,
                "list_id": list_id or None}  # fmt: skip
        (self.folder / f"{upload_id}.json").write_text(json.dumps(meta))
        return self.get(upload_id)

    def get(self, upload_id: str) -> Upload:
        meta_path = self.folder / f"{upload_id}.json"
        if not _ID.match(upload_id) or not meta_path.exists():
            raise NotFound(
                "no such upload (uploads not imported are deleted after a day): upload the file again"
            )
        meta = json.loads(meta_path.read_text())
        fmt = CsvFormat(meta["encoding"], meta["delimiter"])
        return Upload(
            upload_id, self.folder / f"{upload_id}.csv", meta["name"], meta["size"], fmt, meta["list_id"]
        )

    def take(self, upload: Upload) -> None:
        """Claim the upload for its import, once: a second start (a double click) is NotFound."""
        try:
            (self.folder / f"{upload.id}.json").rename(self.folder / f"{upload.id}.taken")
        except FileNotFoundError:
            raise NotFound("this file's import has already started: see the recent imports") from None

    def discard(self, upload_id: str) -> None:
        for suffix in (".part", ".csv", ".json", ".taken"):
            (self.folder / f"{upload_id}{suffix}").unlink(missing_ok=True)


def uploads(aud: Audience) -> Uploads:
    return Uploads(aud.settings.path(aud.settings.data_dir) / "uploads")


# --- mapping and preview -------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the mapping page shows: the file's format, each column with its target, the first rows
    as the import will read them, or why the file cannot be read so."""

    upload: Upload
    columns: list[tuple[str, str]]  # (the header's name, its target)
    rows: list[Entry | RowError]
    error: str | None = None

    @property
    def mapping(self) -> dict[str, str]:
        return dict(self.columns)


def mapping_of(upload: Upload, chosen: list[str] | None) -> dict[str, str]:
    """The mapping a form gave, one target per column in the header's order (none: pre-filled)."""
    if not chosen:
        return {}
    header = header_of(upload.path, upload.format, upload.name)
    if len(chosen) != len(header):
        raise Invalid(
            f"the mapping has {len(chosen)} columns but {upload.name} has {len(header)}: reload the page"
        )
    for target in chosen:
        if target not in TARGETS:
            raise InvalidValue("map", target, f"is not one of {', '.join(TARGETS)}")
    return {name.strip(): target for name, target in zip(header, chosen, strict=True)}


def plan(aud: Audience, upload: Upload, mapping: dict[str, str], consent: str | None) -> Plan:
    """The columns and the first PREVIEW_ROWS rows as the import would read them with `mapping`
    (pre-filled from the importer's aliases where it says nothing)."""
    header = header_of(upload.path, upload.format, upload.name)
    try:
        columns = list(zip([h.strip() for h in header], targets(header, mapping, upload.name), strict=True))
    except Invalid as exc:  # the header itself (a repeated column): nothing to map
        return Plan(upload, [], [], str(exc))
    try:
        reading = read(upload.path, consent=consent or None, mapping=dict(columns), fmt=upload.format,
                       utf8_refusal=aud.utf8_refusal, where=upload.name)  # fmt: skip
    except Invalid as exc:
        return Plan(upload, columns, [], str(exc))
    return Plan(upload, reading.columns, list(itertools.islice(reading.rows, PREVIEW_ROWS)))


# --- the job -------------------------------------------------------------------------------------


def start(
    aud: Audience,
    jobs: JobRunner,
    upload: Upload,
    *,
    list_id: str,
    consent: str | None,
    mapping: dict[str, str],
    actor: Actor,
) -> Job:
    """Check what the import needs (the list, the consent source, a mapping with an email column)
    and hand it to the job runner; the job's id is where to watch it."""
    with aud.engine.connect() as conn:
        require_list(conn, list_id)
    read(upload.path, consent=consent or None, mapping=mapping, fmt=upload.format, where=upload.name)
    params = {
        "file": str(upload.path), "upload": upload.id, "name": upload.name, "list_id": list_id,
        "consent": consent or None, "mapping": mapping, "encoding": upload.format.encoding,
        "delimiter": upload.format.delimiter, "utf8_refusal": aud.utf8_refusal(),
    }  # fmt: skip
    folder = uploads(aud)
    folder.take(upload)
    try:
        return jobs.submit(KIND, params, actor)
    except BaseException:  # not started after all: the upload may be started again
        (folder.folder / f"{upload.id}.taken").rename(folder.folder / f"{upload.id}.json")
        raise


def run(ctx: Context) -> dict[str, Any]:
    """The job: import the upload, its rejected rows to the report, its progress as it goes; then
    audit it and delete the upload. Run again after its process died, it merges what it stored
    before (an import is idempotent)."""
    given: dict[str, Any] = ctx.params
    path = Path(given["file"])
    if not path.exists():  # deleted by the run that finished it before its process died
        raise Invalid(f"the uploaded file {given['name']} is no longer here: upload it again")
    total = data_lines(path)
    ctx.progress(0, total)
    refusal = given["utf8_refusal"]
    with RejectedRows(ctx.report_path) as rejected:
        report = members.import_file(
            ctx.engine, path, given["list_id"], consent=given["consent"],
            fmt=CsvFormat(given["encoding"], given["delimiter"]), mapping=given["mapping"], errors=rejected.write,
            progress=lambda done: ctx.progress(min(done, total), total), utf8_refusal=lambda: refusal,
            origin=given["name"],
        )  # fmt: skip
    ctx.progress(report.rows, report.rows)
    summary = {"rows": report.rows, "imported": report.imported, "merged": report.merged,
               "suppressed": report.suppressed, "rejected": report.rejected, "kept_left": report.kept_left}  # fmt: skip
    with ctx.engine.begin() as conn:
        audit.record(conn, ctx.actor, "subscribers.import", "list", given["list_id"],
                     {"file": given["name"], "job": ctx.job.id, **summary})  # fmt: skip
    for suffix in (".csv", ".taken"):
        path.with_suffix(suffix).unlink(missing_ok=True)
    return summary


def job(jobs: JobRunner, job_id: int) -> Job:
    """An import's job; NotFound for another kind of job, or none."""
    found = jobs.get(job_id)
    if found.kind != KIND:
        raise NotFound(f"no import {job_id}")
    return found


def rejected_rows(report: Path | None, limit: int = 100) -> list[RowError]:
    """The first rejected rows of an import, from its report (its cells as they were read)."""
    if report is None:
        return []
    with report.open(newline="", encoding="utf-8") as fh:
        rows = itertools.islice(csv.DictReader(fh), limit)
        return [
            RowError(int(r["row"]), restore(r["field"]), restore(r["reason"]), restore(r["value"]))
            for r in rows
        ]
