"""CSV export of the subscribers a search finds (subscribers.search.Query: a list's members, of some
statuses, or any other filter of the admin console's table), streamed by keyset in one read of the
rows, and safe to open in a spreadsheet.

A list's export has its members' status on it; an export across lists has the people only. Either
imports back unchanged (the importer reads the same columns, attributes as extra columns)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import Connection

from subscribers.csvsafe import FORMULA_STARTS, neutralize
from subscribers.search import Query, attribute_keys, stream

PERSON = ("email", "name", "language", "timezone")
MEMBER = ("status", "status_changed_at")
_RISKY = frozenset("".join(FORMULA_STARTS) + "'")  # the first characters `neutralize` may change


def csv_chunks(conn: Connection, query: Query, batch: int = 5000) -> Iterator[str]:
    """The export as CSV text, a header then one chunk per `batch` rows (what a download streams).

    Cells that a spreadsheet would run as a formula are prefixed with an apostrophe; the importer
    removes it again, so an export imports back unchanged.
    """
    return (text for text, _ in _chunks(conn, query, batch))


def _chunks(conn: Connection, query: Query, batch: int) -> Iterator[tuple[str, int]]:
    """(CSV text, rows written so far), chunk by chunk."""
    keys = attribute_keys(conn, query)
    member = query.list_id is not None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralize(c) for c in (*PERSON, *(MEMBER if member else ()), *keys)])
    n = 0
    for n, row in enumerate(stream(conn, query, batch), 1):
        writer.writerow([neutralize(c) if c and c[0] in _RISKY else c for c in _cells(row, member, keys)])
        if n % batch == 0:
            yield buffer.getvalue(), n
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue(), n


def _cells(row: Any, member: bool, keys: list[str]) -> list[str]:
    cells = [row.email, row.name or "", row.language or "", row.timezone or ""]
    if member:
        cells += [row.status, row.status_changed_at.isoformat()]
    if keys:
        held = row.attributes
        attributes = (json.loads(held) if held != "{}" else {}) if isinstance(held, str) else held or {}
        cells += [str(attributes.get(k, "")) for k in keys]
    return cells


def export_csv(conn: Connection, query: Query, out: TextIO, batch: int = 5000) -> int:
    """Write the export to `out`. Returns the number of rows written."""
    written = 0
    for text, rows in _chunks(conn, query, batch):
        out.write(text)
        written = rows
    return written
