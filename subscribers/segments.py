"""Segments: a named search (subscribers.search.Query) of one list's members, kept as the query's
`describe()`. A segment is never changed once saved (a new search is a new segment), so what an
edition was sent to is what its segment still says."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from subscribers import tables as t
from subscribers.errors import Conflict, InvalidValue
from subscribers.models import MAX_NAME
from subscribers.search import Query

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Segment:
    id: int
    list_id: str
    name: str
    query: Query  # its list_id is the segment's list
    created_at: datetime
    created_by: str


def segment_name(name: str) -> str:
    """A segment's name, trimmed: 1 to MAX_NAME characters, one line."""
    name = " ".join(name.split())
    if not 0 < len(name) <= MAX_NAME or _CONTROL.search(name):
        raise InvalidValue("name", name, f"give the segment a name of 1 to {MAX_NAME} characters")
    return name


def _segment(row: Any) -> Segment:
    query = Query.described(dict(row.query))
    return Segment(row.id, row.list_id, row.name, query, row.created_at, row.created_by)


def insert_segment(conn: Connection, name: str, query: Query, created_by: str) -> Segment:
    """Save a search of one list as a segment; InvalidValue without a list or a name, Conflict for a
    name the list's segments already have."""
    if not query.list_id:
        raise InvalidValue("list_id", "", "a segment is a search of one list's members: choose the list")
    name = segment_name(name)
    s = t.segments
    taken = conn.execute(select(s.c.id).where(s.c.list_id == query.list_id, s.c.name == name)).first()
    if taken is not None:
        raise Conflict(f"the list {query.list_id!r} has a segment named {name!r} already")
    at = datetime.now(UTC)
    new_id = conn.execute(
        insert(s)
        .values(
            list_id=query.list_id, name=name, query=query.describe(), created_at=at, created_by=created_by
        )
        .returning(s.c.id)
    ).scalar_one()
    return Segment(new_id, query.list_id, name, query, at, created_by)


def get_segment(conn: Connection, segment_id: int) -> Segment | None:
    row = conn.execute(select(t.segments).where(t.segments.c.id == segment_id)).first()
    return _segment(row) if row else None


def all_segments(conn: Connection, list_id: str | None = None) -> list[Segment]:
    """The segments (of one list), by list and name."""
    s = t.segments
    stmt = select(s).order_by(s.c.list_id, s.c.name, s.c.id)
    if list_id is not None:
        stmt = stmt.where(s.c.list_id == list_id)
    return [_segment(row) for row in conn.execute(stmt)]


def delete_segment(conn: Connection, segment_id: int) -> None:
    conn.execute(delete(t.segments).where(t.segments.c.id == segment_id))
