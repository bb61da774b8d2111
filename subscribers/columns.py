"""Column types and expressions shared by every table (the subscriber tables and digest.store's,
which import it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, DateTime, Dialect, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import TypeDecorator


def one_of(conn: Connection, column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)` for a batch of values; on PostgreSQL `column = ANY(array)`, one parameter
    for the whole batch, where thousands of placeholders cost psycopg more to convert than the
    statement costs to run."""
    if conn.dialect.name == "postgresql":
        return column == any_(literal(list(values), ARRAY(column.type)))
    return column.in_(values)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment, aware and in UTC on the way in and on the way out, on SQLite and PostgreSQL alike.

    PostgreSQL keeps `timestamptz`; SQLite keeps no zone and hands back naive values, which were
    written as UTC. A naive datetime written to the store is a mistake (whose clock?), so it is refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a naive datetime ({value}) cannot be stored: give it a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
