"""CSV export of a list's members, streamed in batches and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sqlalchemy import Connection, Row, select

from subscribers import tables as t
from subscribers.csvsafe import neutralize
from subscribers.models import MembershipStatus

COLUMNS = ("email", "name", "language", "timezone", "status", "status_changed_at")


def _members(
    conn: Connection, list_id: str, statuses: list[MembershipStatus] | None, batch: int
) -> Iterator[Row[*tuple[Any, ...]]]:
    s, m = t.subscribers, t.memberships
    query = (
        select(
            s.c.id,
            s.c.email,
            s.c.name,
            s.c.language,
            s.c.timezone,
            s.c.attributes,
            m.c.status,
            m.c.status_changed_at,
        )
        .join(m, m.c.subscriber_id == s.c.id)
        .where(m.c.list_id == list_id)
        .order_by(s.c.id)
        .limit(batch)
    )
    if statuses:
        query = query.where(m.c.status.in_(list(statuses)))
    last = 0
    while True:
        rows = conn.execute(query.where(s.c.id > last)).all()
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].id


def export_csv(
    conn: Connection,
    list_id: str,
    out: TextIO,
    *,
    statuses: Iterable[MembershipStatus] | None = None,
    batch: int = 2000,
) -> int:
    """Write the members as CSV (attributes as extra columns), those of `statuses` only when given.
    Returns the number of members written.

    Cells that a spreadsheet would run as a formula are prefixed with an apostrophe; the importer
    removes it again, so an export imports back unchanged.
    """
    wanted = list(statuses) if statuses else None
    keys = sorted({k for row in _members(conn, list_id, wanted, batch) for k in (row.attributes or {})})
    writer = csv.writer(out)
    writer.writerow(COLUMNS + tuple(neutralize(k) for k in keys))
    count = 0
    for row in _members(conn, list_id, wanted, batch):
        attributes = row.attributes or {}
        cells = [
            row.email,
            row.name or "",
            row.language or "",
            row.timezone or "",
            row.status,
            row.status_changed_at.isoformat(),
        ]
        cells += [str(attributes.get(k, "")) for k in keys]
        writer.writerow([neutralize(c) for c in cells])
        count += 1
    return count
