"""Editions, their items and deliveries: rows <-> domain objects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Connection,
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

from digest.domain import Brief, Coverage, Delivery, Edition, Quote
from subscribers.tables import subscribers

from .tables import deliveries, delivery_events, edition_changes, edition_items, edition_sends, editions


def now() -> datetime:
    return datetime.now(UTC)


def insert_edition(conn: Connection, edition: Edition) -> int:
    edition.id = conn.execute(
        insert(editions).values(
            list_id=edition.list_id,
            status=edition.status,
            subject=edition.subject,
            intro=edition.intro,
            created_at=now(),
        )
    ).inserted_primary_key[0]
    write_items(conn, edition.id, edition.items)
    return edition.id


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


def update_edition(conn: Connection, edition_id: int, **values) -> None:
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
    values = {"status": status}
    if status == "sent":
        values["sent_at"] = now()
    conn.execute(update(editions).where(editions.c.id == edition_id).values(**values))


def _brief(row) -> Brief:
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
        status=row.status,
        subject=row.subject,
        intro=row.intro,
        created_at=row.created_at,
        sent_at=row.sent_at,
        scheduled_for=row.scheduled_for,
        items=[_brief(r) for r in items],
    )


def list_editions(conn: Connection, list_id: str | None = None, statuses: Iterable[str] | None = None):
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


def record_change(conn: Connection, edition_id: int, actor: str, op: str, args: dict) -> None:
    conn.execute(
        insert(edition_changes).values(edition_id=edition_id, actor=actor, at=now(), op=op, args=args)
    )


def changes(conn: Connection, edition_id: int) -> list:
    """The edition's change log, oldest first: rows with actor, at, op, args."""
    return conn.execute(
        select(edition_changes)
        .where(edition_changes.c.edition_id == edition_id)
        .order_by(edition_changes.c.id)
    ).all()


def used_articles(list_id: str, but: int | None = None) -> Select:
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


def next_batch(
    conn: Connection, edition_id: int, size: int, at: datetime | None = None
) -> list[tuple[Delivery, str | None]]:
    """Up to `size` rows that may be sent now, with the subscriber's name: pending first, then
    deferred rows that are due.

    Rows already 'sending' are never picked: they belong to the live sender, or, after a crash,
    to `recover_in_flight`, which decides about them once under the send's lease.
    """
    at = at or now()
    query = select(
        deliveries.c.id, deliveries.c.subscriber_id, deliveries.c.email, deliveries.c.attempts, subscribers.c.name
    ).outerjoin(subscribers, subscribers.c.id == deliveries.c.subscriber_id)
    rows = conn.execute(
        query.where(deliveries.c.edition_id == edition_id, deliveries.c.status == "pending")
        .order_by(deliveries.c.id)
        .limit(size)
    ).all()
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
    return [(Delivery(edition_id, r.subscriber_id, r.email, attempts=r.attempts, id=r.id), r.name) for r in rows]


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


def mark_sent(conn: Connection, ids: list[int], message_id: tuple[str, str]) -> None:
    """Rows the provider accepted, in one statement; message_id is (prefix, suffix) around the row id."""
    if ids:
        prefix, suffix = message_id
        conn.execute(
            update(deliveries)
            .where(deliveries.c.id.in_(ids))
            .values(
                status="sent",
                error=None,
                deferred_until=None,
                message_id=literal(prefix) + cast(deliveries.c.id, String) + literal(suffix),
                updated_at=now(),
            )
        )


def finish_deliveries(conn: Connection, outcomes: list[dict]) -> None:
    """Record outcomes row by row: {"id", "status", "error", "message_id", "deferred_until"}."""
    if not outcomes:
        return
    at = now()
    conn.execute(
        update(deliveries)
        .where(deliveries.c.id == bindparam("b_id"))
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
    if n:
        conn.execute(
            update(edition_sends)
            .where(edition_sends.c.edition_id == edition_id)
            .values(interrupted=edition_sends.c.interrupted + n)
        )
    return n


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


def record_event(conn: Connection, event_id: str, provider: str, event: str, **values) -> bool:
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


def delivery_of(conn: Connection, delivery_id: int):
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
