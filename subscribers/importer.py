"""CSV import: streamed in chunks, so memory stays flat whatever the file's size.

Files come as spreadsheets write them: the encoding (a BOM, UTF-16 without one, UTF-8, else
Windows-1252 or Latin-1) and the delimiter (`csv.Sniffer` among , ; tab |) are detected unless given.

Each chunk costs a handful of queries (suppressions, existing subscribers, memberships, then batched inserts
and updates), never one per row. Bad rows are reported with their row number, field and reason and never
stop the rest. The import commits after every chunk, so it never holds the database's write lock for long:
pass a connection from `engine.connect()`.
"""

from __future__ import annotations

import codecs
import csv
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Column, Connection, Table, bindparam, select, update

from subscribers import batches
from subscribers import tables as t
from subscribers.addresses import (
    InvalidAddress,
    Utf8Refusal,
    address_hash,
    check_deliverable,
    identity,
    normalize,
)
from subscribers.csvsafe import neutralize, restore
from subscribers.errors import Invalid, InvalidValue
from subscribers.models import (
    LEFT_STATUSES,
    MembershipStatus,
    consent_source,
    language_code,
    person_name,
    status_named,
    time_zone,
)
from subscribers.search import name_key
from subscribers.service import now, require_list
from subscribers.tokens import new_nonce

FIELDS = ("email", "name", "language", "timezone", "status")
ATTRIBUTE, IGNORE = "attribute", "ignore"
TARGETS = (*FIELDS, ATTRIBUTE, IGNORE)  # what a column can be mapped to
# Header names recognised without a mapping, compared lower-cased.
ALIASES = {
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "name": ("name", "full name", "full_name"),
    "language": ("language", "lang", "locale"),
    "timezone": ("timezone", "time zone", "time_zone", "tz"),
    "status": ("status",),
}
# Columns our own export writes that are not the subscriber's data: ignored on the way back in.
EXPORT_ONLY = ("status_changed_at", "created_at")
MAX_ATTRIBUTE = 1000
MAX_ATTRIBUTES = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class RowError:
    row: int  # 1 is the header row
    field: str
    reason: str
    value: str = ""


@dataclass
class ImportReport:
    imported: int = 0  # new subscribers
    merged: int = 0  # rows for subscribers already known (in the database or earlier in the file)
    suppressed: int = 0  # rows skipped: the address is on the suppression list
    rejected: int = 0  # rows with an error, each reported
    kept_left: int = 0  # merged rows for members who had left the list: they stay out

    @property
    def rows(self) -> int:
        return self.imported + self.merged + self.suppressed + self.rejected


@dataclass(slots=True)
class Entry:
    """A row as it will be imported: its fields checked and normalized."""

    row: int
    email: str
    key: str
    digest: str
    name: str | None
    language: str | None
    timezone: str | None
    status: MembershipStatus
    attributes: dict[str, str]
    repeats: int = 0


@dataclass(frozen=True)
class _Columns:
    index: dict[str, int]  # field -> position
    attributes: list[tuple[str, int]]  # attribute name -> position
    width: int


@dataclass
class Reading:
    """A file opened for import: its header's columns, each with what it is read as (a field,
    ATTRIBUTE or IGNORE), and its rows, read one at a time as they come (blank lines skipped)."""

    columns: list[tuple[str, str]]  # (the header's name, its target)
    rows: Iterator[Entry | RowError] = field(repr=False)


# --- the file's encoding and delimiter -----------------------------------------------------------

BOMS = (  # UTF-32's little-endian BOM starts like UTF-16's: look for it first
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
DELIMITERS = ",;\t|"
SAMPLE = 64 * 1024
# Whole-file reads go by blocks under malloc's mmap threshold (128 KiB): larger ones, freed, make glibc
# raise that threshold and serve them from the heap, which then stays as large as the file was (RSS).
BLOCK = 64 * 1024
_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252", "iso8859-1": "Latin-1"}


@dataclass(frozen=True)
class CsvFormat:
    encoding: str  # a Python codec name
    delimiter: str

    def describe(self) -> str:
        """'UTF-16, fields separated by tabs'"""
        codec = codecs.lookup(self.encoding).name
        name = _NAMES.get(codec) or ("UTF-16" if codec.startswith("utf-16") else None)
        name = name or ("UTF-32" if codec.startswith("utf-32") else self.encoding)
        between = "tabs" if self.delimiter == "\t" else repr(self.delimiter)
        return f"{name}, fields separated by {between}"


def csv_format(path: Path, encoding: str | None = None, delimiter: str | None = None) -> CsvFormat:
    """How to read the file: what is given (InvalidValue for an encoding Python does not know, or a
    delimiter that cannot be one), the rest detected. UTF-8 as given also reads a BOM."""
    if encoding is None:
        encoding = detect_encoding(path)
    else:
        try:
            "".encode(encoding)  # also refuses codecs that are not text encodings (base64...)
        except LookupError:
            reason = "not an encoding Python knows (e.g. utf-8, utf-16, cp1252, latin-1)"
            raise InvalidValue("encoding", encoding, reason) from None
        if codecs.lookup(encoding).name == "utf-8":
            encoding = "utf-8-sig"
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '\r\n"'):
        raise InvalidValue("delimiter", delimiter, "give one character (or 'tab'), not a quote or line break")
    if delimiter is None:
        with path.open(encoding=encoding, errors="replace", newline="") as fh:
            delimiter = detect_delimiter(fh.read(SAMPLE))
    return CsvFormat(encoding, delimiter)


def detect_encoding(path: Path) -> str:
    """A BOM's encoding; UTF-16 without a BOM (every other byte NUL); UTF-8 when the file holds UTF-8
    letters (a few bad bytes among them are rows to reject, not another encoding); else, when bytes
    are not ASCII, Windows-1252 (what Excel writes on Windows), else Latin-1, which reads any byte."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4:
        if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
            return "utf-16-le"
        if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
            return "utf-16-be"
    letters, bad = _utf8_census(path)
    if letters or not bad:
        return "utf-8"
    return "cp1252" if _decodes(path, "cp1252") else "latin-1"


_NOT_UTF8 = re.compile("[\udc80-\udcff]")
_UTF8_LETTER = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _utf8_census(path: Path) -> tuple[bool, bool]:
    """(whether the file has characters beyond ASCII in valid UTF-8, whether it has bytes that are not UTF-8)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    letters = bad = False
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(BLOCK), b""):
            text = decoder.decode(block)
            if not text.isascii():
                letters = letters or _UTF8_LETTER.search(text) is not None
                bad = bad or _NOT_UTF8.search(text) is not None
            if letters and bad:
                break
    return letters, bad


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as fh:
        try:
            for block in iter(lambda: fh.read(BLOCK), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def detect_delimiter(sample: str) -> str:
    """The delimiter csv.Sniffer finds in the first lines (whole lines only), else a comma."""
    if len(sample) == SAMPLE and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:  # one column, or nothing to tell the delimiters apart
        return ","


def _next_status(current: MembershipStatus | None, wanted: MembershipStatus) -> MembershipStatus | None:
    """The status an import may set over `current`, or None to keep it.

    An import never brings back someone who left, and never turns a confirmed member back to pending.
    """
    if current == wanted or current in LEFT_STATUSES:
        return None
    confirming = (current, wanted) == (MembershipStatus.PENDING, MembershipStatus.CONFIRMED)
    if current is None or wanted in LEFT_STATUSES or confirming:
        return wanted
    return None


def targets(header: list[str], mapping: dict[str, str], where: str = "the file") -> list[str]:
    """What each column of the header becomes: the target `mapping` gives it (by column name, any
    case), else the field whose alias its name is (ALIASES, when no column is mapped to that field),
    else an attribute; unnamed columns and our export's own (EXPORT_ONLY) are ignored. Invalid for a
    repeated column name, an unknown target or column, or a field given two columns."""
    names = [restore(h.strip()) for h in header]
    lowered = [n.lower() for n in names]
    if len(set(lowered)) != len(lowered):
        dupes = sorted({n for n in names if lowered.count(n.lower()) > 1})
        raise Invalid(f"{where}: the header repeats column(s) {', '.join(dupes)}")
    chosen: dict[int, str] = {}
    for column, target in mapping.items():
        if target not in TARGETS:
            raise Invalid(f"mapping {column}={target}: {target!r} is not one of {', '.join(TARGETS)}")
        if column.lower() not in lowered:
            raise Invalid(f"mapping {column}={target}: {where} has no column {column!r}")
        chosen[lowered.index(column.lower())] = target
    for target in FIELDS:
        given = [names[i] for i, t in sorted(chosen.items()) if t == target]
        if len(given) > 1:
            raise Invalid(
                f"the columns {' and '.join(map(repr, given))} are both mapped to {target}: keep one"
            )
    for target, aliases in ALIASES.items():
        if target not in chosen.values():
            found = next((i for i, n in enumerate(lowered) if n in aliases and i not in chosen), None)
            if found is not None:
                chosen[found] = target
    return [
        chosen.get(i) or (IGNORE if not names[i] or lowered[i] in EXPORT_ONLY else ATTRIBUTE)
        for i in range(len(names))
    ]


def _columns(header: list[str], chosen: list[str], where: str) -> _Columns:
    names = [restore(h.strip()) for h in header]
    index = {target: i for i, target in enumerate(chosen) if target in FIELDS}
    if "email" not in index:
        raise Invalid(f"{where}: the header row has no email column (map one of its columns to email)")
    attributes = [(names[i], i) for i, target in enumerate(chosen) if target == ATTRIBUTE and names[i]]
    if len(attributes) > MAX_ATTRIBUTES:
        raise Invalid(
            f"{where}: the header has {len(attributes):,} columns besides {', '.join(FIELDS[:-1])} and "
            f"{FIELDS[-1]}; at most {MAX_ATTRIBUTES} can be kept as attributes, so nothing was imported "
            f"(remove the columns you do not need, or ignore them)"
        )
    too_long = [name for name, _ in attributes if len(name) > 64]
    if too_long:
        raise Invalid(f"{where}: column name {too_long[0][:80]!r}... is longer than 64 characters")
    return _Columns(index, attributes, len(header))


def header_of(path: Path, fmt: CsvFormat, where: str | None = None) -> list[str]:
    """The file's header row, as read (Invalid for an empty file or an unreadable header)."""
    where = where or str(path)
    try:
        _, header = next(_rows(path, fmt))
    except StopIteration:
        raise Invalid(f"{where}: the file is empty") from None
    if isinstance(header, str):
        raise Invalid(f"{where}: the header row {header}")
    return header


def read(
    path: Path,
    *,
    consent: str | None,
    mapping: dict[str, str] | None = None,
    fmt: CsvFormat | None = None,
    utf8_refusal: Utf8Refusal | None = None,
    where: str | None = None,
) -> Reading:
    """Open the file as the import reads it: the header checked at once (Invalid), the rows parsed
    as they are taken. The import and its preview both read through here."""
    consent = consent_source(consent)
    fmt = fmt or csv_format(path)
    where = where or str(path)
    header = header_of(path, fmt, where)
    chosen = targets(header, mapping or {}, where)
    cols = _columns(header, chosen, where)
    names = [restore(h.strip()) for h in header]

    def parsed() -> Iterator[Entry | RowError]:
        rows = _rows(path, fmt)
        next(rows)  # the header
        for number, cells in rows:
            if not cells or cells == [""]:
                continue  # a blank line is not a row
            if isinstance(cells, str):
                yield RowError(number, "(row)", cells)
            else:
                yield _parse(number, cells, cols, consent, fmt, utf8_refusal)

    return Reading(list(zip(names, chosen, strict=True)), parsed())


class RejectedRows:
    """The rejected rows as CSV: row, field, reason, value, formula-safe (subscribers.csvsafe). The
    file is made only when there is a row to write (use as a context manager)."""

    HEADER = ("row", "field", "reason", "value")

    def __init__(self, path: Path):
        self.path = path
        self.written = 0
        self._file: TextIO | None = None
        self._writer: Any = None

    def __enter__(self) -> RejectedRows:
        self.path.unlink(missing_ok=True)
        return self

    def write(self, error: RowError) -> None:
        if self._writer is None:
            self._file = self.path.open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._file)
            self._writer.writerow(self.HEADER)
        self._writer.writerow([error.row, *(neutralize(v) for v in (error.field, error.reason, error.value))])
        self.written += 1

    def __exit__(self, *exc: object) -> None:
        if self._file:
            self._file.close()


def data_lines(path: Path) -> int:
    """Lines after the header: a progress bar's total (a quoted cell with a line break makes it an estimate)."""
    with path.open("rb") as fh:
        lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(BLOCK), b""))
    return max(lines - 1, 0)


def _rows(path: Path, fmt: CsvFormat) -> Iterator[tuple[int, list[str] | str]]:
    """(row number, cells), or (row number, why) for a row the csv module cannot read (e.g. a huge cell).

    Bytes that are not in the file's encoding survive as surrogates, so their row can be rejected and
    the rest read on.
    """
    with path.open(newline="", encoding=fmt.encoding, errors="surrogateescape") as fh:
        reader = csv.reader(fh, delimiter=fmt.delimiter)
        number = 0
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield number, f"is not readable as CSV ({exc})"
                continue
            yield number, cells


def _parse(
    number: int,
    cells: list[str],
    cols: _Columns,
    consent: str | None,
    fmt: CsvFormat,
    utf8_refusal: Utf8Refusal | None,
) -> Entry | RowError:
    if len(cells) != cols.width:
        return RowError(number, "(row)", f"has {len(cells)} fields but the header has {cols.width}")
    joined = "".join(cells)
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        encoding = fmt.describe().split(",")[0]
        return RowError(
            number, "(row)", f"is not valid {encoding} (give the file's encoding with --encoding)"
        )
    if _CONTROL.search(joined):
        bad = next(name for name, i in _all_fields(cols) if _CONTROL.search(cells[i]))
        return RowError(number, bad, "contains control characters")
    raw_email = restore(cells[cols.index["email"]].strip())
    if not raw_email:
        return RowError(number, "email", "is empty")
    try:
        email = normalize(raw_email)
        check_deliverable(email, utf8_refusal)
    except InvalidAddress as exc:
        return RowError(number, "email", exc.reason, raw_email)
    try:
        name = person_name(restore(_cell(cells, cols, "name")))
        tag, zone, given = (_cell(cells, cols, f) for f in ("language", "timezone", "status"))
        language = language_code(tag) if tag else None
        timezone = time_zone(zone) if zone else None
        status = status_named(given.lower()) if given else None
    except InvalidValue as exc:  # the person's fields are checked as `subscribers add` checks them
        return RowError(number, exc.field, exc.reason, "" if exc.field == "name" else exc.value)
    status = status or (MembershipStatus.CONFIRMED if consent else MembershipStatus.PENDING)
    if status == MembershipStatus.CONFIRMED and not consent:
        return RowError(number, "status", "confirmed rows need a stated consent source (--consent)")
    attributes = {}
    for attr, i in cols.attributes:
        value = restore(cells[i].strip())
        if len(value) > MAX_ATTRIBUTE:
            return RowError(number, attr, f"is longer than {MAX_ATTRIBUTE} characters")
        if value:
            attributes[attr] = value
    key = identity(email)
    return Entry(
        number,
        email,
        key,
        address_hash(email),
        name,
        language,
        timezone,
        status,
        attributes,
    )


def _cell(cells: list[str], cols: _Columns, name: str) -> str:
    return cells[cols.index[name]].strip() if name in cols.index else ""


def _all_fields(cols: _Columns) -> Iterator[tuple[str, int]]:
    yield from cols.index.items()
    yield from cols.attributes


def _merge(into: Entry, later: Entry) -> None:
    """A repeated address within one chunk: later values win, attributes are combined."""
    into.repeats += 1
    into.name = later.name or into.name
    into.language = later.language or into.language
    into.timezone = later.timezone or into.timezone
    into.attributes.update(later.attributes)
    into.status = _next_status(into.status, later.status) or into.status


def import_csv(
    conn: Connection,
    path: Path,
    list_id: str,
    *,
    consent: str | None,
    mapping: dict[str, str] | None = None,
    errors: Callable[[RowError], None] | None = None,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = 5000,
    utf8_refusal: Utf8Refusal | None = None,
    fmt: CsvFormat | None = None,
    origin: str | None = None,
) -> ImportReport:
    """Import subscribers into a list, reading the file as `fmt` says (detected when not given).

    Columns: email (required), name, language, timezone, status; any other column becomes an attribute.
    A row whose address the delivery cannot carry (see `utf8_refusal`) is rejected with that reason.
    `mapping` maps a file's column name to one of those fields, ATTRIBUTE or IGNORE (see `targets`).
    Without a status column rows are confirmed when a consent source is stated, else pending;
    confirmed rows need a stated consent source. `origin` is the file's name as the consent events
    keep it (default: the path's) and as errors name it.
    """
    require_list(conn, list_id)
    where = str(path) if origin is None else origin
    origin = (origin or path.name)[:500]
    reading = read(path, consent=consent, mapping=mapping, fmt=fmt, utf8_refusal=utf8_refusal, where=where)
    consent = consent_source(consent)
    report = ImportReport()
    chunk: dict[str, Entry] = {}
    done = 0
    for parsed in reading.rows:
        done += 1
        if isinstance(parsed, RowError):
            report.rejected += 1
            if errors:
                errors(parsed)
        elif parsed.key in chunk:
            _merge(chunk[parsed.key], parsed)
        else:
            chunk[parsed.key] = parsed
        if len(chunk) >= chunk_size:
            _flush(conn, list(chunk.values()), list_id, consent, origin, report)
            chunk.clear()
            if progress:
                progress(done)
    if chunk:
        _flush(conn, list(chunk.values()), list_id, consent, origin, report)
    if progress:
        progress(done)
    return report


def _flush(
    conn: Connection,
    entries: list[Entry],
    list_id: str,
    consent: str | None,
    origin: str,
    report: ImportReport,
) -> None:
    began = time.monotonic()
    suppressed = _suppressed(conn, [e.digest for e in entries])
    live = []
    for entry in entries:
        if entry.digest in suppressed:
            report.suppressed += 1 + entry.repeats
        else:
            live.append(entry)
    if live:
        at = now()
        ids, known = _upsert_subscribers(conn, live, at, report)
        _apply_memberships(conn, live, ids, known, list_id, consent, origin, at, report)
    batches.commit(conn, began)


def _suppressed(conn: Connection, digests: list[str]) -> set[str]:
    return {
        digest for (digest,) in _lookup(conn, "SELECT email_hash FROM suppressions WHERE email_hash", digests)
    }


def _upsert_subscribers(
    conn: Connection, live: list[Entry], at: datetime, report: ImportReport
) -> tuple[dict[str, int], list[int]]:
    """Insert the new subscribers, merge into the known ones. Returns ({identity: id}, known ids)."""
    s = t.subscribers
    found = dict(
        _lookup(conn, "SELECT email_key, id FROM subscribers WHERE email_key", [e.key for e in live])
    )
    existing = {}
    if found:  # usually few: read their details to merge into
        columns = (s.c.id, s.c.email_key, s.c.name, s.c.language, s.c.timezone, s.c.attributes)
        existing = {
            row.email_key: row for row in conn.execute(select(*columns).where(s.c.id.in_(found.values())))
        }
    ids: dict[str, int] = {}
    fresh = [e for e in live if e.key not in existing]
    if fresh:
        stamp = _bind(conn, s.c.created_at, at)
        to_json = _binder(conn, s.c.attributes)
        _insert_rows(
            conn,
            s,
            (
                "email",
                "email_key",
                "name",
                "name_key",
                "language",
                "timezone",
                "attributes",
                "created_at",
                "token_nonce",
            ),  # fmt: skip
            [
                (
                    e.email,
                    e.key,
                    e.name,
                    name_key(e.name),
                    e.language,
                    e.timezone,
                    to_json(e.attributes),
                    stamp,
                    new_nonce(),
                )  # fmt: skip
                for e in fresh
            ],
        )
        ids.update(
            _lookup(conn, "SELECT email_key, id FROM subscribers WHERE email_key", [e.key for e in fresh])
        )
    changes = []
    for entry in live:
        row = existing.get(entry.key)
        if row is None:
            report.imported += 1
            report.merged += entry.repeats
            continue
        report.merged += 1 + entry.repeats
        ids[entry.key] = row.id
        before = {
            "name": row.name,
            "language": row.language,
            "timezone": row.timezone,
            "attributes": row.attributes,
        }
        after = {
            "name": entry.name or row.name,
            "language": entry.language or row.language,
            "timezone": entry.timezone or row.timezone,
            "attributes": {**(row.attributes or {}), **entry.attributes},
        }
        if after != before:
            changes.append({"sid": row.id, "name_key": name_key(entry.name or row.name), **after})
    if changes:
        values: dict[str, Any] = {
            k: bindparam(k) for k in ("name", "name_key", "language", "timezone", "attributes")
        }
        conn.execute(update(s).where(s.c.id == bindparam("sid")).values(**values), changes)
    return ids, [row.id for row in existing.values()]


def _apply_memberships(
    conn: Connection,
    live: list[Entry],
    ids: dict[str, int],
    known: list[int],
    list_id: str,
    consent: str | None,
    origin: str,
    at: datetime,
    report: ImportReport,
) -> None:
    """Add or move memberships as `_next_status` allows, with a consent event for each change."""
    m = t.memberships
    current: dict[int, MembershipStatus] = {}
    if known:
        sql = "SELECT subscriber_id, status FROM memberships WHERE list_id = {mark} AND subscriber_id"
        current = {sid: MembershipStatus(status) for sid, status in _lookup(conn, sql, known, list_id)}
    stamp = _bind(conn, m.c.created_at, at)
    joined, moved, events = [], [], []
    for entry in live:
        sid = ids[entry.key]
        was = current.get(sid)
        status = _next_status(was, entry.status)
        if status is None:
            if was in LEFT_STATUSES and entry.status not in LEFT_STATUSES:
                report.kept_left += 1
            continue
        if was is None:
            joined.append((sid, list_id, status, stamp, stamp))
        else:
            moved.append({"sid": sid, "status": status})
        events.append((sid, list_id, status, "import", origin, consent, stamp))
    if joined:
        _insert_rows(
            conn, m, ("subscriber_id", "list_id", "status", "status_changed_at", "created_at"), joined
        )
    if moved:
        conn.execute(
            update(m)
            .where(m.c.subscriber_id == bindparam("sid"), m.c.list_id == list_id)
            .values(status=bindparam("status"), status_changed_at=at),
            moved,
        )
    if events:
        columns = ("subscriber_id", "list_id", "status", "method", "origin", "wording", "at")
        _insert_rows(conn, t.consent_events, columns, events)


# The hot statements go straight to the driver: SQLAlchemy's per-row parameter processing, and its
# expansion of a 5,000-value IN, cost more than the database's own work. Values are made driver-ready
# with the columns' own bind processors, so what is stored is exactly what a Core insert would store.


def _binder(conn: Connection, column: Column[Any]) -> Callable[[Any], Any]:
    processor = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return processor or (lambda value: value)


def _bind(conn: Connection, column: Column[Any], value: Any) -> Any:
    return _binder(conn, column)(value)


def _lookup(conn: Connection, head: str, values: list[Any], *before: Any) -> list[tuple[Any, ...]]:
    """Run `head IN (values)`; `head` may hold {mark} placeholders for the `before` parameters."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"{head.format(mark=mark)} IN ({', '.join([mark] * len(values))})"
    return [tuple(row) for row in conn.exec_driver_sql(sql, (*before, *values))]


def _insert_rows(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    quote = conn.dialect.identifier_preparer
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote.format_table(table)} ({', '.join(quote.quote(c) for c in columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    conn.exec_driver_sql(sql, rows)
