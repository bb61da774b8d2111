"""Finding subscribers at a million rows: the admin console's table and the CSV export read the same
query, a page at a time by keyset (never OFFSET), each order walking an index that matches it.

The order follows the search, so that the index it walks is one that holds the rows in that order:

    address prefix given  by address        subscribers.email_key (unique)
    name given            by name, then id  ix_subscribers_name_key (name_key, id)
    a list chosen         newest member     ix_memberships_list_joined / _list_status_joined
    otherwise             newest first      ix_subscribers_created (created_at, id)

With a list chosen, the status and the dates are those of the membership of that list; without,
the status is that of any membership and the dates are when the subscriber was first stored. A
position in an order (`Position`) holds the sort values of the last row shown, so rows that share a
sort value (an import stores a whole chunk with one timestamp) are neither skipped nor repeated.

On PostgreSQL the address and name keys are compared and ordered with the "C" collation (the indexes
of migration 0012 are made so), which is what makes a prefix a range: `key >= p AND key < p + U+10FFFF`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    Select,
    String,
    Text,
    and_,
    cast,
    exists,
    func,
    literal,
    select,
    true,
    tuple_,
    type_coerce,
)

from subscribers import tables as t
from subscribers.addresses import identity
from subscribers.errors import Invalid
from subscribers.models import Membership, MembershipStatus

NAME_INDEX, ADDRESS_INDEX_PG = "ix_subscribers_name_key", "ix_subscribers_email_key_c"
OUTSIDE_METADATA = (NAME_INDEX, ADDRESS_INDEX_PG)  # made by migration 0012 with collations tables.py cannot say
_TOP = "\U0010ffff"  # above every character: the end of a prefix's range
MAX_PAGE = 200


def name_key(name: str | None) -> str:
    """What a name is searched and sorted by: trimmed and case-folded ("" for no name)."""
    return " ".join((name or "").split()).casefold()


class Order(StrEnum):
    NEWEST = "newest"  # the subscribers newest first (created_at, id)
    NEWEST_MEMBER = "newest_member"  # a list's members, newest membership first (created_at, subscriber_id)
    ADDRESS = "address"  # by address (email_key)
    NAME = "name"  # by name, then id


@dataclass(frozen=True)
class Query:
    """The table's filters, every one optional; they combine (all must hold)."""

    prefix: str = ""  # the address starts with this (case aside)
    name: str = ""  # the name starts with this (case aside)
    statuses: tuple[MembershipStatus, ...] = ()  # one of these: on the list chosen, else on any list
    list_id: str | None = None
    language: str | None = None
    timezone: str | None = None
    joined_from: date | None = None  # joined the list chosen (else: first stored) on or after this day
    joined_to: date | None = None  # ... and on or before this day (UTC)

    @property
    def order(self) -> Order:
        if self.prefix:
            return Order.ADDRESS
        if self.name:
            return Order.NAME
        return Order.NEWEST_MEMBER if self.list_id else Order.NEWEST

    def normalized(self) -> Query:
        return replace(self, prefix=self.prefix.strip().casefold(), name=name_key(self.name))

    @classmethod
    def described(cls, shown: dict[str, str]) -> Query:
        """The query `describe()` gave (a saved segment's): its values were checked when it was made."""
        values: dict[str, Any] = {k: v for k, v in shown.items() if k in _TEXT_FIELDS}
        if shown.get("statuses"):
            values["statuses"] = tuple(MembershipStatus(x) for x in shown["statuses"].split(",") if x)
        for name in ("joined_from", "joined_to"):
            if shown.get(name):
                values[name] = date.fromisoformat(shown[name])
        return cls(**values)

    def describe(self) -> dict[str, str]:
        """The filters given, as text (what a cursor is bound to, what a page repeats in its links)."""
        shown = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = ",".join(value)
            if value not in (None, ""):
                shown[f.name] = value.isoformat() if isinstance(value, date) else str(value)
        return shown


_TEXT_FIELDS = ("prefix", "name", "list_id", "language", "timezone")


@dataclass(frozen=True)
class Position:
    """Where a page starts: after (or, going back, before) the row with these sort values."""

    order: Order
    values: tuple[Any, ...]
    backwards: bool = False


@dataclass(frozen=True)
class Row:
    id: int
    email: str
    name: str | None
    language: str | None
    timezone: str | None
    created_at: datetime  # when stored, or when they joined the list chosen
    attributes: dict[str, str]
    status: MembershipStatus | None  # on the list chosen
    status_changed_at: datetime | None
    memberships: tuple[Membership, ...] = ()  # every list, when asked for

    def position(self, order: Order, backwards: bool = False) -> Position:
        return Position(order, _values(order, self), backwards)


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    more_after: bool  # there is a page after the last row
    more_before: bool  # there is a page before the first row


def _values(order: Order, row: Any) -> tuple[Any, ...]:  # a Row, or a row of `stream`
    if order is Order.ADDRESS:
        return (identity(row.email),)
    if order is Order.NAME:
        return (name_key(row.name), row.id)
    return (row.created_at, row.id)


def _collated(column: ColumnElement[Any], conn: Connection) -> ColumnElement[Any]:
    return column.collate("C") if conn.dialect.name == "postgresql" else column


def _stored(column: ColumnElement[Any], conn: Connection, raw: bool) -> ColumnElement[Any]:
    """A time column as the driver gives it, for `raw` reads (on SQLite the text that sorts, on
    PostgreSQL the driver's datetime): the export walks a million rows and needs a time only to carry
    the keyset on, not our column type's conversion of each. The SQL is the same."""
    if not raw:
        return column
    return type_coerce(column, String) if conn.dialect.name == "sqlite" else type_coerce(column, DateTime(timezone=True))


def _keys(order: Order, conn: Connection, raw: bool = False) -> list[ColumnElement[Any]]:
    s, m = t.subscribers, t.memberships
    if order is Order.ADDRESS:
        return [_collated(s.c.email_key, conn)]
    if order is Order.NAME:
        return [_collated(s.c.name_key, conn), s.c.id]
    if order is Order.NEWEST_MEMBER:
        return [_stored(m.c.created_at, conn, raw), m.c.subscriber_id]
    return [_stored(s.c.created_at, conn, raw), s.c.id]


def _descending(order: Order) -> bool:
    return order in (Order.NEWEST, Order.NEWEST_MEMBER)


def _day(value: date) -> datetime:
    return datetime.combine(value, time(), UTC)


def _select(conn: Connection, query: Query, raw: bool = False) -> Select[Any]:
    """The filtered rows, unordered: subscribers, joined to their membership of the list chosen.
    `raw` gives the attributes as JSON text (PostgreSQL's driver would parse every row's JSON, most of
    an export's time) and the time that orders them as stored."""
    s, m = t.subscribers, t.memberships
    q = query.normalized()
    attributes = cast(s.c.attributes, Text).label("attributes") if raw else s.c.attributes  # text: not parsed
    columns = [s.c.id, s.c.email, s.c.name, s.c.language, s.c.timezone, attributes]
    if q.list_id is not None:
        joined_at = _stored(m.c.created_at, conn, raw).label("created_at")
        stmt = select(*columns, joined_at, m.c.status, m.c.status_changed_at).join(
            m, and_(m.c.subscriber_id == s.c.id, _list_of(m.c.list_id, q, conn) == q.list_id)
        )
    else:
        stmt = select(*columns, _stored(s.c.created_at, conn, raw).label("created_at"))
    return stmt.where(*_filters(conn, q))


def _list_of(column: ColumnElement[Any], q: Query, conn: Connection) -> ColumnElement[Any]:
    """The membership's list, as the join compares it. A search by address or name walks the
    subscribers' index in that order, and takes each one's membership by its key; SQLite's planner
    would rather read the whole list by its index and sort it (160 ms for a prefix on a list of a
    million subscribers, 15 ms the other way), so there the comparison is made on `list_id || ''`,
    which no index answers. PostgreSQL weighs both ways by its statistics."""
    if conn.dialect.name == "sqlite" and q.order in (Order.ADDRESS, Order.NAME):
        return column.concat("")
    return column


def _filters(conn: Connection, q: Query) -> list[ColumnElement[bool]]:
    """The normalized query's conditions over the subscribers and, with a list chosen, their
    membership of it (joined by the caller)."""
    s, m = t.subscribers, t.memberships
    with_list = q.list_id is not None
    joined = m.c.created_at if with_list else s.c.created_at
    found: list[ColumnElement[bool]] = []
    if q.prefix:
        key = _collated(s.c.email_key, conn)
        found += [key >= q.prefix, key < q.prefix + _TOP]
    if q.name:
        key = _collated(s.c.name_key, conn)
        found += [key >= q.name, key < q.name + _TOP]
    if q.statuses:
        wanted = [str(x) for x in q.statuses]
        if with_list:
            found.append(m.c.status.in_(wanted) if len(wanted) > 1 else m.c.status == wanted[0])
        else:
            anywhere = t.memberships.alias("anywhere")
            found.append(exists().where(anywhere.c.subscriber_id == s.c.id, anywhere.c.status.in_(wanted)))
    if q.language:
        found.append(s.c.language == q.language)
    if q.timezone:
        found.append(s.c.timezone == q.timezone)
    if q.joined_from:
        found.append(joined >= _day(q.joined_from))
    if q.joined_to:
        found.append(joined < _day(q.joined_to + timedelta(days=1)))
    return found


def matching(conn: Connection, query: Query) -> list[ColumnElement[bool]]:
    """The conditions of a query of one list over `subscribers` and `memberships` (the caller joins
    the membership of that list): what a send to a segment adds to the list's recipients."""
    if query.list_id is None:
        raise Invalid("a segment is a search of one list's members: choose the list")
    return _filters(conn, query.normalized())


def count(conn: Connection, query: Query, most: int | None = None) -> int:
    """How many rows the query finds; with `most`, counted up to `most` + 1 (more than `most`: at
    least that), one bounded pass however many rows there are (a segment's size). Without, all of
    them, once (a bulk action's total; never a page's)."""
    inner = _select(conn, query).with_only_columns(t.subscribers.c.id)
    if most is not None:
        inner = inner.limit(most + 1)
    return int(conn.execute(select(func.count()).select_from(inner.subquery())).scalar_one())


def _past(keys: list[ColumnElement[Any]], values: tuple[Any, ...], up: bool) -> ColumnElement[bool]:
    """Rows strictly above (`up`) or below `values` in the keys' order: a row-value comparison,
    `(a, b) > (x, y)`, which both databases answer as a range of the index. (Spelt out as
    `a > x OR (a = x AND b > y)`, SQLite scans the index from its end with bound parameters.)"""
    if len(values) != len(keys):
        raise Invalid("this page position does not fit the search")
    left: ColumnElement[Any] = keys[0] if len(keys) == 1 else tuple_(*keys)
    right: Any = values[0] if len(keys) == 1 else tuple_(*[literal(v, k.type) for k, v in zip(keys, values, strict=True)])
    found: ColumnElement[bool] = left > right if up else left < right
    return found


def _walk(
    conn: Connection, query: Query, at: tuple[Any, ...] | None, up: bool, limit: int, raw: bool = False
) -> list[Any]:
    """Up to `limit` rows from `at` (excluded), walking the order's keys up or down."""
    keys = _keys(query.order, conn, raw)
    stmt = _select(conn, query, raw)
    if at is not None:
        stmt = stmt.where(_past(keys, at, up))
    stmt = stmt.order_by(*[k.asc() if up else k.desc() for k in keys]).limit(limit)
    return list(conn.execute(stmt).all())


def page(conn: Connection, query: Query, at: Position | None = None, size: int = 50) -> Page:
    """A page of the query's rows in its order, after (or, going back, before) `at`; Invalid for
    a position of another order."""
    order = query.order
    if at is not None and at.order is not order:
        raise Invalid(f"this page position is for the order {at.order}, not {order}")
    size = max(1, min(size, MAX_PAGE))
    backwards = at is not None and at.backwards
    up = _descending(order) == backwards  # the walk's direction in the keys' terms
    found = _walk(conn, query, at.values if at else None, up, size + 1)
    more, rows = len(found) > size, [_row(r, query.list_id is not None) for r in found[:size]]
    if backwards:
        rows.reverse()
        return Page(_with_memberships(conn, rows), more_after=True, more_before=more)
    return Page(_with_memberships(conn, rows), more_after=more, more_before=at is not None)


def stream(conn: Connection, query: Query, batch: int = 5000) -> Iterator[Any]:
    """Every row of the query in its order, one keyset batch in memory at a time: the driver's rows
    (id, email, name, language, timezone, attributes as JSON text or a dict, created_at; with a list
    status and status_changed_at), as a million-row export wants them."""
    up = not _descending(query.order)
    last: tuple[Any, ...] | None = None
    while True:
        rows = _walk(conn, query, last, up, batch, raw=True)
        yield from rows
        if len(rows) < batch:
            return
        last = _values(query.order, rows[-1])


def _row(r: Any, with_list: bool) -> Row:
    return Row(
        id=r.id,
        email=r.email,
        name=r.name,
        language=r.language,
        timezone=r.timezone,
        created_at=r.created_at,
        attributes=dict(r.attributes or {}),
        status=MembershipStatus(r.status) if with_list else None,
        status_changed_at=r.status_changed_at if with_list else None,
    )


def _with_memberships(conn: Connection, rows: list[Row]) -> list[Row]:
    """The rows with every list they are on (one query for the page)."""
    if not rows:
        return rows
    m = t.memberships
    found: dict[int, list[Membership]] = {}
    stmt = (
        select(m.c.subscriber_id, m.c.list_id, m.c.status, m.c.status_changed_at, m.c.created_at)
        .where(m.c.subscriber_id.in_([r.id for r in rows]))
        .order_by(m.c.subscriber_id, m.c.list_id)
    )
    for r in conn.execute(stmt):
        found.setdefault(r.subscriber_id, []).append(
            Membership(r.list_id, MembershipStatus(r.status), r.status_changed_at, r.created_at)
        )
    return [replace(row, memberships=tuple(found.get(row.id, ()))) for row in rows]


def attribute_keys(conn: Connection, query: Query) -> list[str]:
    """The attribute names the query's rows hold, sorted: the export's extra columns. Found in the
    database (one pass over the attributes column, no row brought back), so the export itself
    reads the rows once."""
    inner = _select(conn, query).with_only_columns(t.subscribers.c.attributes).subquery()
    if conn.dialect.name == "sqlite":
        each = func.json_each(inner.c.attributes).table_valued("key")
        stmt = select(each.c.key).select_from(inner).join(each, true()).distinct()
    else:
        stmt = select(func.json_object_keys(inner.c.attributes)).select_from(inner).distinct()
    return sorted(str(k) for k in conn.execute(stmt).scalars())


def member_counts(conn: Connection) -> dict[str, dict[MembershipStatus, int]]:
    """Every list's members by status, of the statuses someone has: one pass over the
    (list_id, status, ...) index, no table read."""
    m = t.memberships
    counts: dict[str, dict[MembershipStatus, int]] = {}
    for list_id, status, n in conn.execute(
        select(m.c.list_id, m.c.status, func.count()).group_by(m.c.list_id, m.c.status)
    ):
        counts.setdefault(list_id, {})[MembershipStatus(status)] = n
    return counts
