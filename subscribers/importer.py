"""CSV import: streamed row by row; bad rows are reported with their row number and never stop the rest."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection

from .addresses import InvalidAddress, normalize
from .models import MEMBERSHIP_STATUSES, Subscriber
from .service import is_suppressed, set_status, upsert_subscriber

KNOWN_COLUMNS = ("email", "name", "language", "timezone", "status")


@dataclass
class ImportReport:
    imported: int = 0
    merged: int = 0
    suppressed: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)

    @property
    def rows(self) -> int:
        return self.imported + self.merged + self.suppressed + len(self.rejected)


def import_csv(
    conn: Connection,
    path: Path,
    list_id: str,
    *,
    consent: str | None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import subscribers into a list.

    A `status` column may say confirmed, pending or unsubscribed; without it rows are confirmed
    when a consent source is stated, else pending. Confirmed rows need a stated consent source.
    """
    report = ImportReport()
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "email" not in [c.strip().lower() for c in reader.fieldnames]:
            raise ValueError(f"{path}: the header row has no 'email' column")
        for number, raw in enumerate(reader, start=2):  # row 1 is the header
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
            reason = _import_row(conn, row, list_id, consent, str(path.name), report)
            if reason:
                report.rejected.append((number, reason))
            if progress:
                progress(number - 1)
    return report


def _import_row(conn, row: dict, list_id: str, consent: str | None, origin: str, report: ImportReport):
    try:
        email = normalize(row.get("email", ""))
    except InvalidAddress as exc:
        return f"email: {exc}"
    status = row.get("status") or ("confirmed" if consent else "pending")
    if status not in MEMBERSHIP_STATUSES:
        return f"status: {status!r} is not one of {', '.join(MEMBERSHIP_STATUSES)}"
    if status == "confirmed" and not consent:
        return "status: confirmed rows need a stated consent source (--consent)"
    if is_suppressed(conn, email):
        report.suppressed += 1
        return None
    attributes = {k: v for k, v in row.items() if k not in KNOWN_COLUMNS and v}
    sub = Subscriber(
        email=email,
        name=row.get("name") or None,
        language=row.get("language") or None,
        timezone=row.get("timezone") or None,
        attributes=attributes,
    )
    sub_id, created = upsert_subscriber(conn, sub)
    set_status(conn, sub_id, list_id, status, method="import", origin=origin, wording=consent)
    if created:
        report.imported += 1
    else:
        report.merged += 1
    return None
