"""A list's growth: its joins and leaves by day, each counted by one grouped pass over an index of
the memberships (joins over (list_id, created_at, ...), leaves over (list_id, status,
status_changed_at)), never a read of the table's rows: as fast at a million members as at ten.

A join is a membership made (pending or confirmed at once); a leave is a membership that now stands
unsubscribed, bounced or complained, on the day it changed to that (a member who left and came back
counts as a join only)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import ColumnElement, Connection, func, literal, select, union_all

from subscribers import tables as t
from subscribers.models import LEFT_STATUSES


def _day(column: ColumnElement[datetime], conn: Connection) -> ColumnElement[str]:
    """The UTC day of a moment as YYYY-MM-DD (SQLite keeps moments as UTC text that starts with it)."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.substr(column, 1, 10)


def by_day(conn: Connection, list_id: str, since: date) -> tuple[dict[date, int], dict[date, int]]:
    """(joins, leaves) of the list by UTC day from `since` on; days without any are left out."""
    m = t.memberships
    start = datetime.combine(since, time(), UTC)
    joined = _day(m.c.created_at, conn).label("day")
    left = _day(m.c.status_changed_at, conn).label("day")
    joins = (
        select(literal("j").label("kind"), joined, func.count().label("n"))
        .where(m.c.list_id == list_id, m.c.created_at >= start)
        .group_by(joined)
    )
    leaves = (
        select(literal("l").label("kind"), left, func.count().label("n"))
        .where(
            m.c.list_id == list_id,
            m.c.status.in_([str(s) for s in LEFT_STATUSES]),
            m.c.status_changed_at >= start,
        )
        .group_by(left)
    )
    found: dict[str, dict[date, int]] = {"j": {}, "l": {}}
    for kind, day, n in conn.execute(union_all(joins, leaves)):
        found[kind][date.fromisoformat(day)] = int(n)
    return found["j"], found["l"]
