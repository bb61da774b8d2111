"""What readers did with editions, counted in the database (digest.editions.report says what each
figure means and which denominator its rate has): one grouped query per kind of figure, over the
(edition_id, event) and (edition_id, at, event_id) indexes of delivery_events and the (edition_id,
status, id) index of deliveries (a bounce for good fails its row, so bounces are the rows `failed`); the people behind a figure a keyset page of deliveries at a time.

Counts are of deliveries (one per recipient), never of addresses: a reader who opened twice is one
open, and an erased reader's events still count (their delivery_id is kept, their address is not).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
)

from digest.domain import DeliveryStatus, EditionStatus
from digest.store.tables import articles, deliveries, delivery_events, edition_items, edition_sends, editions
from digest.store.types import UTCDateTime
from subscribers import tables as sub
from subscribers.columns import one_of
from subscribers.models import MembershipStatus

OPENED, CLICKED, COMPLAINED, UNSUBSCRIBED = "opened", "clicked", "complained", "unsubscribed"
# The ways a reader leaves a list: the mail's unsubscribe link (one-click or its page), the
# preferences page, the provider's own link. An admin's removal or an import is not the edition's doing.
READERS_LEAVE = ("one-click", "link", "preferences", "provider")
PUBLIC = (EditionStatus.SENDING, EditionStatus.SENT)
FIGURES = ("sent", "delivered", "bounced", "complaints", "unsubscribes", "opens", "machine_opens", "clicks",
           "machine_clicks")  # fmt: skip


@dataclass(frozen=True)
class Window:
    """Where an edition's unsubscribes are looked for: the edition's list, from its send's start to
    the next edition's (None: up to now). The unsubscribe link names the list, not the edition, so a
    reader's leaving is the doing of the last edition they were sent."""

    list_id: str
    start: datetime | None
    until: datetime | None


@dataclass(frozen=True)
class Counts:
    sent: int = 0  # settled: delivered + bounced
    delivered: int = 0  # accepted by the backend and not bounced since (rows `sent`)
    bounced: int = 0  # refused for good, at the send or after (rows `failed`)
    complaints: int = 0
    unsubscribes: int = 0
    opens: int = 0  # deliveries a person opened (or clicked in: a click needs the mail open)
    machine_opens: int = 0  # deliveries a machine opened (or fetched a link of)
    clicks: int = 0  # a person's clicks, every one
    unique_clicks: int = 0  # deliveries a person clicked in
    machine_clicks: int = 0
    unique_machine_clicks: int = 0


@dataclass(frozen=True)
class Clicks:
    clicks: int = 0
    unique: int = 0
    machine: int = 0
    unique_machine: int = 0


@dataclass(frozen=True)
class ItemRow:
    item_id: int
    position: int
    title: str
    url: str | None
    source: str
    tags: tuple[str, ...] = ()  # its article's (none for a story added by hand without one)


@dataclass(frozen=True)
class EditionRow:
    id: int
    list_id: str
    subject: str
    status: str
    started_at: datetime | None  # its send's start (None before it)


@dataclass(frozen=True)
class Person:
    delivery_id: int
    subscriber_id: int | None  # None once erased
    email: str


def _unsubscribed(window: Window) -> ColumnElement[bool]:
    c = sub.consent_events.c
    left = (
        exists()
        .where(c.subscriber_id == deliveries.c.subscriber_id, c.list_id == window.list_id,
               c.status == MembershipStatus.UNSUBSCRIBED, c.method.in_(READERS_LEAVE))
    )  # fmt: skip
    if window.start is not None:
        left = left.where(c.at >= window.start)
    if window.until is not None:
        left = left.where(c.at < window.until)
    by_provider = exists().where(delivery_events.c.delivery_id == deliveries.c.id,
                                 delivery_events.c.event == UNSUBSCRIBED)  # fmt: skip
    return or_(by_provider, left if window.start is not None else false())


def counts(conn: Connection, windows: dict[int, Window], readers: bool = True) -> dict[int, Counts]:
    """Each edition's counts (keyed by edition id), a few grouped queries for them all. Without
    `readers`, only sent, delivered, bounced and complaints (what the rates need: digest.deliver.rates),
    from the deliveries and the complaints alone, never reading the edition's every open and click
    (the webhook asks after every post that carries a bounce or a complaint)."""
    ids = list(windows)
    if not ids:
        return {}
    d, e = deliveries.c, delivery_events.c
    found: dict[int, dict[str, int]] = {i: {} for i in ids}
    rows = conn.execute(
        select(d.edition_id, d.status, func.count())
        .where(one_of(conn, d.edition_id, ids), d.status.in_((DeliveryStatus.SENT, DeliveryStatus.FAILED)))
        .group_by(d.edition_id, d.status)
    )
    for edition_id, status, n in rows:
        found[edition_id]["delivered" if status == DeliveryStatus.SENT else "bounced"] = n
    rows = conn.execute(
        select(e.edition_id, e.event, e.machine, func.count(), func.count(e.delivery_id.distinct()))
        .where(one_of(conn, e.edition_id, ids), e.event.in_((CLICKED, COMPLAINED) if readers else (COMPLAINED,)))
        .group_by(e.edition_id, e.event, e.machine)
    )
    for edition_id, event, machine, n, unique in rows:
        got = found[edition_id]
        if event == COMPLAINED:
            got["complaints"] = got.get("complaints", 0) + unique
        else:
            prefix = "machine_" if machine else ""
            got[prefix + "clicks"], got["unique_" + prefix + "clicks"] = n, unique
    if not readers:
        return {i: Counts(**got, sent=got.get("delivered", 0) + got.get("bounced", 0)) for i, got in found.items()}
    rows = conn.execute(
        select(e.edition_id, e.machine, func.count(e.delivery_id.distinct()))
        .where(one_of(conn, e.edition_id, ids), e.event.in_((OPENED, CLICKED)))
        .group_by(e.edition_id, e.machine)
    )
    for edition_id, machine, n in rows:
        found[edition_id]["machine_opens" if machine else "opens"] = n
    for edition_id, window in windows.items():
        found[edition_id]["unsubscribes"] = conn.execute(
            select(func.count()).select_from(deliveries).where(d.edition_id == edition_id, _unsubscribed(window))
        ).scalar_one()
    result = {}
    for edition_id, got in found.items():
        got["sent"] = got.get("delivered", 0) + got.get("bounced", 0)
        result[edition_id] = Counts(**got)
    return result


def story_clicks(conn: Connection, edition_id: int) -> dict[int | None, Clicks]:
    """Clicks by edition item (None: a link of no story: the intro, the footer)."""
    return {item_id: clicks for (item_id, _), clicks in _clicks(conn, edition_id, by_url=False).items()}


def link_clicks(conn: Connection, edition_id: int) -> dict[tuple[int | None, str | None], Clicks]:
    """Clicks by (edition item, link)."""
    return _clicks(conn, edition_id, by_url=True)


def _clicks(conn: Connection, edition_id: int, by_url: bool) -> dict[tuple[int | None, str | None], Clicks]:
    e = delivery_events.c
    keys = (e.item_id, e.url) if by_url else (e.item_id,)
    rows = conn.execute(
        select(*keys, e.machine, func.count(), func.count(e.delivery_id.distinct()))
        .where(e.edition_id == edition_id, e.event == CLICKED)
        .group_by(*keys, e.machine)
    )
    tallies: dict[tuple[int | None, str | None], dict[str, int]] = {}
    for row in rows:
        item_id, url = row[0], row[1] if by_url else None
        n, unique, machine = row[-2], row[-1], row[-3]
        got = tallies.setdefault((item_id, url), {})
        if machine:
            got["machine"], got["unique_machine"] = n, unique
        else:
            got["clicks"], got["unique"] = n, unique
    return {key: Clicks(**got) for key, got in tallies.items()}


def items(conn: Connection, edition_id: int) -> list[ItemRow]:
    i = edition_items.c
    rows = conn.execute(
        select(i.id, i.position, i.title, i.url, i.source, articles.c.tags)
        .outerjoin(articles, articles.c.id == i.article_id)
        .where(i.edition_id == edition_id)
        .order_by(i.position)
    )
    return [ItemRow(*row[:5], tuple(t for t in row.tags or [] if isinstance(t, str))) for row in rows]


def hourly(conn: Connection, edition_id: int, start: datetime, hours: int) -> dict[tuple[int, str, bool], int]:
    """Opened and clicked events by (hour since `start`, event, machine), over the first `hours`."""
    e = delivery_events.c
    epoch = int(start.timestamp())
    if conn.dialect.name == "sqlite":
        hour = (cast(func.strftime("%s", e.at), Integer) - epoch) // 3600
    else:
        hour = cast(func.floor((func.extract("epoch", e.at) - epoch) / 3600), Integer)
    bucket = hour.label("hour")
    rows = conn.execute(
        select(bucket, e.event, e.machine, func.count())
        .where(e.edition_id == edition_id, e.at >= start, e.at < start + timedelta(hours=hours),
               e.event.in_((OPENED, CLICKED)))
        .group_by(bucket, e.event, e.machine)
    )  # fmt: skip
    return {(int(h), event, bool(machine)): n for h, event, machine, n in rows}


def _edition_row(conn: Connection, where: ColumnElement[bool], limit: int | None = None) -> list[EditionRow]:
    ed, s = editions.c, edition_sends.c
    started = func.coalesce(s.started_at, ed.sent_at, type_=UTCDateTime())
    rows = conn.execute(
        select(ed.id, ed.list_id, ed.subject, ed.status, started.label("started"))
        .outerjoin(edition_sends, s.edition_id == ed.id)
        .where(where)
        .order_by(ed.id.desc())
        .limit(limit)
    )
    return [EditionRow(row.id, row.list_id, row.subject, row.status, row.started) for row in rows]


def edition_row(conn: Connection, edition_id: int) -> EditionRow | None:
    found = _edition_row(conn, editions.c.id == edition_id)
    return found[0] if found else None


def sent_editions(conn: Connection, list_id: str, limit: int) -> list[EditionRow]:
    """The list's newest `limit` editions sending or sent, newest first."""
    return _edition_row(conn, and_(editions.c.list_id == list_id, editions.c.status.in_(PUBLIC)), limit)


def next_start(conn: Connection, list_id: str, after: datetime, but: Collection[int] = ()) -> datetime | None:
    """When the list's next send after `after` started (None: none has yet)."""
    ed, s = editions.c, edition_sends.c
    found = conn.execute(
        select(func.min(s.started_at))
        .join(editions, ed.id == s.edition_id)
        .where(ed.list_id == list_id, s.started_at > literal(after, s.started_at.type), ed.id.notin_(list(but)))
    ).scalar()
    return found


EVENT_FIGURES: dict[str, tuple[tuple[str, ...], bool | None]] = {  # figure -> (events, machine)
    "complaints": ((COMPLAINED,), None),
    "opens": ((OPENED, CLICKED), False),
    "machine_opens": ((OPENED, CLICKED), True),
    "clicks": ((CLICKED,), False),
    "machine_clicks": ((CLICKED,), True),
}


def people(
    conn: Connection, edition_id: int, figure: str, window: Window, *, item_id: int | None = None,
    after: int = 0, limit: int = 50,
) -> tuple[list[Person], bool]:  # fmt: skip
    """The deliveries behind one of FIGURES, in id order after the delivery id `after`; and whether
    more follow. A figure of events pages through the edition's events of those kinds (the
    (edition_id, event) index), the others through its deliveries."""
    d = deliveries.c
    if figure in EVENT_FIGURES:
        kinds, machine = EVENT_FIGURES[figure]
        e = delivery_events.c
        ids = select(e.delivery_id).where(e.edition_id == edition_id, e.event.in_(kinds), e.delivery_id > after)
        if machine is not None:
            ids = ids.where(e.machine == (true() if machine else false()))
        if item_id is not None and CLICKED in kinds and OPENED not in kinds:  # a story's clicks
            ids = ids.where(e.item_id == item_id)
        page = ids.group_by(e.delivery_id).order_by(e.delivery_id).limit(limit + 1).subquery()
        query = select(d.id, d.subscriber_id, d.email).join(page, page.c.delivery_id == d.id)
    else:
        where = {
            "sent": d.status.in_((DeliveryStatus.SENT, DeliveryStatus.FAILED)),
            "delivered": d.status == DeliveryStatus.SENT,
            "bounced": d.status == DeliveryStatus.FAILED,
            "unsubscribes": _unsubscribed(window),
        }[figure]
        query = select(d.id, d.subscriber_id, d.email).where(d.edition_id == edition_id, d.id > after, where)
    rows = conn.execute(query.order_by(d.id).limit(limit + 1)).all()
    return [Person(*row) for row in rows[:limit]], len(rows) > limit
