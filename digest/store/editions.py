"""Editions, their items and deliveries: rows <-> domain objects."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, overload

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    String,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from digest.domain import Brief, Coverage, Delivery, DeliveryStatus, Edition, EditionStatus, Quote
from digest.store.tables import (
    deliveries,
    delivery_events,
    edition_changes,
    edition_items,
    edition_sends,
    editions,
)
from subscribers.addresses import wire_form
from subscribers.tables import subscribers


def now() -> datetime:
    return datetime.now(UTC)


def insert_edition(conn: Connection, edition: Edition) -> int:
    edition_id: int = conn.execute(
        insert(editions)
        .values(
            list_id=edition.list_id,
            status=edition.status,
            subject=edition.subject,
            intro=edition.intro,
            created_at=now(),
        )
        .returning(editions.c.id)
    ).scalar_one()
    edition.id = edition_id
    write_items(conn, edition_id, edition.items)
    return edition_id


def write_items(conn: Connection, edition_id: int, items: list[Brief]) -> None:
    """Replace an edition's items with these, in this order."""
    conn.execute(delete(edition_items).where(edition_items.c.edition_id == edition_id))
    if items:
        conn.execute(
            insert(edition_items),
            [
                {
                    "edition_id": edition_id,
                    "article_id": brief.article_id,
                    "position": position,
                    "title": brief.title,
                    "url": brief.url,
                    "source": brief.source,
                    "language": brief.language,
                    "byline": brief.byline,
                    "lede": brief.lede,
                    "quotes": [{"text": q.text, "speaker": q.speaker, "cue": q.cue} for q in brief.quotes],
                    "words": brief.words,
                    "also": [{"source": c.source, "url": c.url} for c in brief.also],
                }
                for position, brief in enumerate(items)
            ],
        )


def update_edition(conn: Connection, edition_id: int, **values: object) -> None:
    """Set an edition's subject, intro or scheduled_for."""
    conn.execute(update(editions).where(editions.c.id == edition_id).values(**values))


def begin_sending(conn: Connection, edition_id: int, from_statuses: tuple[str, ...]) -> bool:
    """Move the edition to 'sending' if it is in one of `from_statuses`; True for the one caller that did.
    A single conditional UPDATE: of two processes starting one send, the second finds it done."""
    moved = conn.execute(
        update(editions)
        .where(editions.c.id == edition_id, editions.c.status.in_(from_statuses))
        .values(status="sending")
    ).rowcount
    return moved == 1


def set_edition_status(conn: Connection, edition_id: int, status: str) -> None:
    values: dict[str, object] = {"status": status}
    if status == "sent":
        values["sent_at"] = now()
    conn.execute(update(editions).where(editions.c.id == edition_id).values(**values))


def _brief(row: Row[*tuple[Any, ...]]) -> Brief:
    return Brief(
        title=row.title,
        lede=row.lede,
        quotes=[Quote(**q) for q in row.quotes],
        url=row.url,
        source=row.source,
        language=row.language,
        byline=row.byline,
        article_id=row.article_id,
        words=row.words,
        also=[Coverage(**c) for c in row.also or []],
    )


def load_edition(conn: Connection, edition_id: int) -> Edition | None:
    row = conn.execute(select(editions).where(editions.c.id == edition_id)).first()
    if row is None:
        return None
    items = conn.execute(
        select(edition_items)
        .where(edition_items.c.edition_id == edition_id)
        .order_by(edition_items.c.position)
    )
    return Edition(
        id=row.id,
        list_id=row.list_id,
        status=EditionStatus(row.status),
        subject=row.subject,
        intro=row.intro,
        created_at=row.created_at,
        sent_at=row.sent_at,
        scheduled_for=row.scheduled_for,
        items=[_brief(r) for r in items],
    )


def list_editions(
    conn: Connection, list_id: str | None = None, statuses: Iterable[str] | None = None
) -> Sequence[Row[*tuple[Any, ...]]]:
    query = select(editions).order_by(editions.c.id)
    if list_id:
        query = query.where(editions.c.list_id == list_id)
    if statuses:
        query = query.where(editions.c.status.in_(list(statuses)))
    return conn.execute(query).all()


def open_draft(conn: Connection, list_id: str) -> int | None:
    """The list's newest edition still in draft, if any."""
    return conn.execute(
        select(editions.c.id)
        .where(editions.c.list_id == list_id, editions.c.status == "draft")
        .order_by(editions.c.id.desc())
        .limit(1)
    ).scalar()


def last_sent_at(conn: Connection, list_id: str) -> datetime | None:
    return conn.execute(
        select(func.max(editions.c.sent_at)).where(editions.c.list_id == list_id, editions.c.status == "sent")
    ).scalar()


def record_change(conn: Connection, edition_id: int, actor: str, op: str, args: dict[str, Any]) -> None:
    conn.execute(
        insert(edition_changes).values(edition_id=edition_id, actor=actor, at=now(), op=op, args=args)
    )


def changes(conn: Connection, edition_id: int) -> Sequence[Row[*tuple[Any, ...]]]:
    """The edition's change log, oldest first: rows with actor, at, op, args."""
    return conn.execute(
        select(edition_changes)
        .where(edition_changes.c.edition_id == edition_id)
        .order_by(edition_changes.c.id)
    ).all()


def used_articles(list_id: str, but: int | None = None) -> Select[int]:
    """The query of the articles already placed in an edition of the list that was not canceled
    (other than `but`)."""
    return (
        select(edition_items.c.article_id)
        .join(editions, editions.c.id == edition_items.c.edition_id)
        .where(editions.c.list_id == list_id, editions.c.status != "canceled")
        .where(edition_items.c.article_id.is_not(None), editions.c.id != (but or 0))
    )


def used_article_ids(conn: Connection, list_id: str, but: int | None = None) -> set[int]:
    return set(conn.execute(used_articles(list_id, but)).scalars())


def delivery_counts(conn: Connection, edition_id: int) -> dict[str, int]:
    rows = conn.execute(
        select(deliveries.c.status, func.count())
        .where(deliveries.c.edition_id == edition_id)
        .group_by(deliveries.c.status)
    ).all()
    return {status: n for status, n in rows}


def insert_deliveries(conn: Connection, edition_id: int, rows: list[Delivery]) -> None:
    if rows:
        at = now()
        conn.execute(
            insert(deliveries),
            [
                {
                    "edition_id": edition_id,
                    "subscriber_id": d.subscriber_id,
                    "email": d.email,
                    "status": "deferred" if d.deferred_until else "pending",
                    "deferred_until": d.deferred_until,
                    "attempts": 0,
                    "updated_at": at,
                }
                for d in rows
            ],
        )


class BatchRow(NamedTuple):
    """A row to send, with what its message needs of the subscriber: the name, the links' nonce."""

    delivery: Delivery
    name: str | None
    nonce: str | None


def next_batch(conn: Connection, edition_id: int, size: int, at: datetime | None = None) -> list[BatchRow]:
    """Up to `size` rows that may be sent now, with the subscriber's name and nonce (in the same
    query: the send signs every recipient's links): pending first, then deferred rows that are due.

    Rows already 'sending' are never picked: they belong to the live sender, or, after a crash,
    to `recover_in_flight`, which decides about them once under the send's lease.
    """
    at = at or now()
    query = select(
        deliveries.c.id,
        deliveries.c.subscriber_id,
        deliveries.c.email,
        deliveries.c.attempts,
        subscribers.c.name,
        subscribers.c.token_nonce,
    ).outerjoin(subscribers, subscribers.c.id == deliveries.c.subscriber_id)
    rows = list(
        conn.execute(
            query.where(deliveries.c.edition_id == edition_id, deliveries.c.status == "pending")
            .order_by(deliveries.c.id)
            .limit(size)
        )
    )
    if len(rows) < size:
        rows += conn.execute(
            query.where(
                deliveries.c.edition_id == edition_id,
                deliveries.c.status == "deferred",
                deliveries.c.deferred_until <= at,
            )
            .order_by(deliveries.c.id)
            .limit(size - len(rows))
        ).all()
    return [
        BatchRow(Delivery(edition_id, r.subscriber_id, r.email, attempts=r.attempts, id=r.id), r.name, r.token_nonce)
        for r in rows
    ]


def claim(conn: Connection, ids: list[int], at: datetime | None = None) -> set[int]:
    """Move these rows to 'sending' if they still may be sent; returns the ids that were claimed."""
    if not ids:
        return set()
    at = at or now()
    may_send = or_(
        deliveries.c.status == "pending",
        (deliveries.c.status == "deferred") & (deliveries.c.deferred_until <= at),
    )
    n = conn.execute(
        update(deliveries)
        .where(deliveries.c.id.in_(ids), may_send)
        .values(status="sending", attempts=deliveries.c.attempts + 1, updated_at=at)
    ).rowcount
    if n == len(ids):
        return set(ids)
    return set(
        conn.execute(select(deliveries.c.id).where(deliveries.c.id.in_(ids), deliveries.c.status == "sending")).scalars()
    )


def mark_sent(conn: Connection, ids: list[int], message_id: tuple[str, str]) -> int:
    """Rows the provider accepted, in one statement; message_id is (prefix, suffix) around the row id.
    Only rows still 'sending' are marked (one canceled meanwhile, by an erasure, stays canceled):
    returns how many."""
    if not ids:
        return 0
    prefix, suffix = message_id
    return conn.execute(
        update(deliveries)
        .where(deliveries.c.id.in_(ids), deliveries.c.status == "sending")
        .values(
            status="sent",
            error=None,
            deferred_until=None,
            message_id=literal(prefix) + cast(deliveries.c.id, String) + literal(suffix),
            updated_at=now(),
        )
    ).rowcount


def finish_deliveries(conn: Connection, outcomes: list[dict[str, Any]]) -> None:
    """Record outcomes row by row: {"id", "status", "error", "message_id", "deferred_until"}, on the
    rows still 'sending' (as mark_sent)."""
    if not outcomes:
        return
    at = now()
    conn.execute(
        update(deliveries)
        .where(deliveries.c.id == bindparam("b_id"), deliveries.c.status == "sending")
        .values(
            status=bindparam("b_status"),
            error=bindparam("b_error"),
            message_id=bindparam("b_message_id"),
            deferred_until=bindparam("b_deferred_until"),
            updated_at=at,
        ),
        [{f"b_{k}": v for k, v in o.items()} for o in outcomes],
    )


def fail_delivery(conn: Connection, delivery_id: int, reason: str) -> None:
    """The provider reported after the fact that this message will never arrive (bounce, dropped)."""
    conn.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id, deliveries.c.status.in_(("sent", "failed")))
        .values(status="failed", error=reason[:1000], updated_at=now())
    )


def release_deliveries(conn: Connection, ids: list[int]) -> None:
    """Rows claimed but certainly not handed to any provider go back to pending."""
    if ids:
        conn.execute(
            update(deliveries)
            .where(deliveries.c.id.in_(ids), deliveries.c.status == "sending")
            .values(status="pending", attempts=deliveries.c.attempts - 1, updated_at=now())
        )


def recover_in_flight(conn: Connection, edition_id: int) -> int:
    """Rows left 'sending' by a sender that died: send them again, marked as possibly duplicated.

    The provider may or may not have taken them before the crash; losing them is worse than a
    second copy, and the set is at most one batch because only one batch is ever in flight.
    """
    n = conn.execute(
        update(deliveries)
        .where(deliveries.c.edition_id == edition_id, deliveries.c.status == "sending")
        .values(status="pending", interrupted=True, updated_at=now())
    ).rowcount
    _count_interrupted(conn, edition_id, n)
    return n


def defer_unsettled(conn: Connection, edition_id: int, ids: list[int], reason: str, until: datetime) -> None:
    """A batch whose send ended in an unexpected error: the backend may have handed part of it over,
    so its rows are tried again at `until`, flagged as possibly duplicated, as after a kill."""
    n = conn.execute(
        update(deliveries)
        .where(deliveries.c.id.in_(ids), deliveries.c.status == "sending")
        .values(status="deferred", deferred_until=until, error=reason[:1000], interrupted=True, updated_at=now())
    ).rowcount
    _count_interrupted(conn, edition_id, n)


def _count_interrupted(conn: Connection, edition_id: int, n: int) -> None:
    if n:
        conn.execute(
            update(edition_sends)
            .where(edition_sends.c.edition_id == edition_id)
            .values(interrupted=edition_sends.c.interrupted + n)
        )


def interrupted_deliveries(conn: Connection, edition_id: int) -> list[str]:
    """Addresses that were in flight at an interruption (the possible duplicates)."""
    return list(
        conn.execute(
            select(deliveries.c.email)
            .where(deliveries.c.edition_id == edition_id, deliveries.c.interrupted.is_(True))
            .order_by(deliveries.c.id)
        ).scalars()
    )


def next_deferred(conn: Connection, edition_id: int) -> datetime | None:
    at = conn.execute(
        select(func.min(deliveries.c.deferred_until)).where(
            deliveries.c.edition_id == edition_id, deliveries.c.status == "deferred"
        )
    ).scalar()
    return _aware(at)


def cancel_remaining(conn: Connection, edition_id: int) -> int:
    """Rows not yet handed to a provider will never be: they become 'canceled'."""
    return conn.execute(
        update(deliveries)
        .where(deliveries.c.edition_id == edition_id, deliveries.c.status.in_(("pending", "deferred")))
        .values(status="canceled", deferred_until=None, updated_at=now())
    ).rowcount


def forget_recipient(conn: Connection, subscriber_id: int | None, addresses: tuple[str, ...]) -> tuple[int, int]:
    """An erased person's delivery rows (by subscriber, or by address for rows that lost theirs):
    those not handed over yet are canceled, a row in flight too (the send records no outcome on a
    row it no longer holds as 'sending'), and every row keeps its status but not the address, the
    subscriber, or the address quoted in an error or a provider's event. Returns (canceled, scrubbed)."""
    by_address = deliveries.c.email.in_(addresses) & deliveries.c.edition_id.in_(select(editions.c.id))
    theirs = or_(by_address, deliveries.c.subscriber_id == subscriber_id) if subscriber_id else by_address
    at = now()
    canceled = conn.execute(
        update(deliveries)
        .where(theirs, deliveries.c.status.in_(("pending", "deferred", "sending")))
        .values(status="canceled", deferred_until=None, updated_at=at)
    ).rowcount
    forms = {wire for a in addresses for wire in (a, wire_form(a))}
    conn.execute(
        update(delivery_events)
        .where(delivery_events.c.delivery_id.in_(select(deliveries.c.id).where(theirs)))
        .values(reason=_without(delivery_events.c.reason, forms))
    )
    scrubbed = conn.execute(
        update(deliveries)
        .where(theirs)
        .values(
            email=literal("erased:") + cast(deliveries.c.id, String),
            subscriber_id=None,
            error=_without(deliveries.c.error, forms),
            updated_at=at,
        )
    ).rowcount
    return canceled, scrubbed


@dataclass(frozen=True)
class PersonalDelivery:
    """One delivery row of a person, as their privacy export shows it."""

    edition_id: int
    status: DeliveryStatus
    updated_at: datetime


def deliveries_of(conn: Connection, subscriber_id: int | None, address_key: str) -> list[PersonalDelivery]:
    """A person's delivery rows, by subscriber, or by address (its identity key, lower-cased) for
    rows that lost their subscriber, oldest change first."""
    match = func.lower(deliveries.c.email) == address_key
    theirs = or_(deliveries.c.subscriber_id == subscriber_id, match) if subscriber_id else match
    rows = conn.execute(
        select(deliveries.c.edition_id, deliveries.c.status, deliveries.c.updated_at)
        .where(theirs)
        .order_by(deliveries.c.updated_at)
    )
    return [PersonalDelivery(r.edition_id, DeliveryStatus(r.status), r.updated_at) for r in rows]


def _without(column: ColumnElement[str], addresses: set[str]) -> ColumnElement[str]:
    """The column's text with each address replaced (SQL REPLACE is case-sensitive: every stored form)."""
    expression = column
    for address in sorted(addresses):
        expression = func.replace(expression, address, "[erased]")
    return expression


@overload
def _aware(at: datetime) -> datetime: ...
@overload
def _aware(at: None) -> None: ...
def _aware(at: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every time here is UTC."""
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


# The send's own state: running, paused, canceled or done, with a lease so one process sends.


@dataclass(frozen=True)
class SendState:
    edition_id: int
    state: str
    started_at: datetime
    owner: str | None
    lease_until: datetime | None
    interrupted: int


def load_send(conn: Connection, edition_id: int) -> SendState | None:
    row = conn.execute(select(edition_sends).where(edition_sends.c.edition_id == edition_id)).first()
    if row is None:
        return None
    return SendState(
        row.edition_id, row.state, _aware(row.started_at), row.owner, _aware(row.lease_until), row.interrupted
    )


def start_send(conn: Connection, edition_id: int) -> None:
    conn.execute(insert(edition_sends).values(edition_id=edition_id, state="running", started_at=now()))


def set_send_state(conn: Connection, edition_id: int, state: str) -> None:
    conn.execute(update(edition_sends).where(edition_sends.c.edition_id == edition_id).values(state=state))


def take_lease(conn: Connection, edition_id: int, owner: str, until: datetime, *, expired_owner: str | None) -> bool:
    """Hold the send's lease if it is free, ours, expired, or held by `expired_owner` (known dead)."""
    free = or_(
        edition_sends.c.owner.is_(None),
        edition_sends.c.owner == owner,
        edition_sends.c.lease_until < now(),
    )
    if expired_owner:
        free = or_(free, edition_sends.c.owner == expired_owner)
    return bool(
        conn.execute(
            update(edition_sends)
            .where(edition_sends.c.edition_id == edition_id, free)
            .values(owner=owner, lease_until=until)
        ).rowcount
    )


def drop_lease(conn: Connection, edition_id: int, owner: str) -> None:
    conn.execute(
        update(edition_sends)
        .where(edition_sends.c.edition_id == edition_id, edition_sends.c.owner == owner)
        .values(owner=None, lease_until=None)
    )


def record_event(conn: Connection, event_id: str, provider: str, event: str, **values: object) -> bool:
    """Store a provider event once. Returns False when it was already stored."""
    seen = conn.execute(select(delivery_events.c.event_id).where(delivery_events.c.event_id == event_id)).first()
    if seen:
        return False
    conn.execute(insert(delivery_events).values(event_id=event_id, provider=provider, event=event, at=now(), **values))
    return True


def event_counts(conn: Connection, edition_id: int) -> dict[str, int]:
    rows = conn.execute(
        select(delivery_events.c.event, func.count())
        .where(delivery_events.c.edition_id == edition_id)
        .group_by(delivery_events.c.event)
    ).all()
    return {event: n for event, n in rows}


def delivery_of(conn: Connection, delivery_id: int) -> Row[*tuple[Any, ...]] | None:
    """(id, edition_id, subscriber_id, email, list_id) of one delivery, or None."""
    return conn.execute(
        select(
            deliveries.c.id,
            deliveries.c.edition_id,
            deliveries.c.subscriber_id,
            deliveries.c.email,
            editions.c.list_id,
        )
        .join(editions, editions.c.id == deliveries.c.edition_id)
        .where(deliveries.c.id == delivery_id)
    ).first()
