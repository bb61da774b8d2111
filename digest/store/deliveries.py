"""Delivery rows, the outbox: one per recipient of an edition, claimed in batches, settled one by one.

A row is 'sending' only while the one sender holding the edition's lease has it with a backend;
every change of a row that a sender may hold is a conditional UPDATE on its status, so an erasure
or a cancellation that got there first wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    bindparam,
    cast,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from digest.domain import UNFINISHED, Delivery, DeliveryStatus
from digest.store.tables import deliveries, delivery_events, edition_sends, editions
from subscribers.addresses import wire_form
from subscribers.columns import one_of
from subscribers.tables import subscribers

PENDING, SENDING, SENT = DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.SENT
FAILED, DEFERRED, CANCELED = DeliveryStatus.FAILED, DeliveryStatus.DEFERRED, DeliveryStatus.CANCELED


def now() -> datetime:
    return datetime.now(UTC)


COPIED = ("edition_id", "subscriber_id", "email", "status", "deferred_until", "attempts", "updated_at", "interrupted")


def insert_deliveries(conn: Connection, edition_id: int, rows: list[Delivery]) -> None:
    """The rows of a send, in the caller's transaction. On PostgreSQL they are copied in (COPY,
    through the transaction's own psycopg connection): a million rows in seconds, where an INSERT per
    row takes a minute."""
    if not rows:
        return
    at = now()
    values = [
        (edition_id, d.subscriber_id, d.email, DEFERRED if d.deferred_until else PENDING, d.deferred_until, 0, at,
         False)
        for d in rows
    ]  # fmt: skip
    if conn.dialect.name == "postgresql":
        with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f"COPY deliveries ({', '.join(COPIED)}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        return
    conn.execute(insert(deliveries), [dict(zip(COPIED, row, strict=True)) for row in values])


def analyze_deliveries(conn: Connection) -> None:
    """After a send's rows were made, in their transaction: PostgreSQL's planner must know how large
    the edition is before its first claim (autovacuum analyzes the table a minute later, if at all;
    until then a million-row edition looks like a few hundred rows). SQLite needs nothing here."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE deliveries")


def delivery_counts(conn: Connection, edition_id: int) -> dict[str, int]:
    rows = conn.execute(
        select(deliveries.c.status, func.count())
        .where(deliveries.c.edition_id == edition_id)
        .group_by(deliveries.c.status)
    ).all()
    return {status: n for status, n in rows}


def has_unfinished(conn: Connection, edition_id: int) -> bool:
    """Whether any row of the edition is still to be sent (one index probe, whatever the size)."""
    return (
        conn.execute(
            select(literal(1))
            .where(deliveries.c.edition_id == edition_id, deliveries.c.status.in_(UNFINISHED))
            .limit(1)
        ).first()
        is not None
    )


def last_sent_at(conn: Connection, edition_id: int) -> datetime | None:
    """When the edition's latest row became 'sent'."""
    return conn.execute(
        select(func.max(deliveries.c.updated_at)).where(
            deliveries.c.edition_id == edition_id, deliveries.c.status == SENT
        )
    ).scalar()


def delivery_of(conn: Connection, delivery_id: int) -> Delivery | None:
    return deliveries_by_id(conn, [delivery_id]).get(delivery_id)


def deliveries_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, Delivery]:
    """The rows of these ids (those that exist), by id, in one query."""
    if not ids:
        return {}
    rows = conn.execute(select(deliveries).where(one_of(conn, deliveries.c.id, ids)))
    return {
        row.id: Delivery(
            row.edition_id, row.subscriber_id, row.email, DeliveryStatus(row.status), row.error, row.attempts,
            row.message_id, row.deferred_until, row.id,
        )
        for row in rows
    }  # fmt: skip


@dataclass(frozen=True)
class BatchRow:
    """A row to send, with what its message needs of the subscriber: the name, the links' nonce."""

    delivery: Delivery
    name: str | None
    nonce: str | None
    tracking: bool = False  # the reader lets us track opens and clicks (False once they opted out, or erased)


def next_batch(conn: Connection, edition_id: int, size: int, at: datetime | None = None) -> list[BatchRow]:
    """Up to `size` rows that may be sent now, with the subscriber's name and nonce (in the same
    query: the send signs every recipient's links): pending first, then deferred rows that are due.

    Rows already 'sending' are never picked: they belong to the live sender, or, after a crash,
    to `recover_in_flight`, which decides about them once under the send's lease.
    """
    at = at or now()
    of_edition = deliveries.c.edition_id == edition_id
    rows = _batch_rows(conn, edition_id, of_edition & (deliveries.c.status == PENDING), size)
    if len(rows) < size:
        due = (deliveries.c.status == DEFERRED) & (deliveries.c.deferred_until <= at)
        rows += _batch_rows(conn, edition_id, of_edition & due, size - len(rows))
    return rows


def _batch_rows(conn: Connection, edition_id: int, where: ColumnElement[bool], size: int) -> list[BatchRow]:
    """Up to `size` rows of the edition that `where` finds, in id order, with what their messages
    need. Rows claimed by their ids are found by their ids alone: with the edition in the condition
    too, PostgreSQL's planner, misjudging the edition's size, read all of the edition's rows."""
    query = (
        select(
            deliveries.c.id,
            deliveries.c.subscriber_id,
            deliveries.c.email,
            deliveries.c.attempts,
            subscribers.c.name,
            subscribers.c.token_nonce,
            subscribers.c.tracking,
        )
        .outerjoin(subscribers, subscribers.c.id == deliveries.c.subscriber_id)
        .where(where)
        .order_by(deliveries.c.id)
        .limit(size)
    )
    return [
        BatchRow(
            Delivery(edition_id, r.subscriber_id, r.email, attempts=r.attempts, id=r.id),
            r.name,
            r.token_nonce,
            bool(r.tracking),
        )
        for r in conn.execute(query)
    ]


def sent_times(conn: Connection, delivery_ids: list[int]) -> dict[int, datetime | None]:
    """Of these deliveries, those still there, each with when it was sent (its row's last change,
    while it is `sent`; None otherwise): a click or an open soon after is a machine's
    (digest.deliver.readers). One read by primary key."""
    if not delivery_ids:
        return {}
    rows = conn.execute(
        select(deliveries.c.id, deliveries.c.status, deliveries.c.updated_at).where(
            one_of(conn, deliveries.c.id, delivery_ids)
        )
    )
    return {r.id: r.updated_at if r.status == DeliveryStatus.SENT else None for r in rows}


def claim_batch(
    conn: Connection,
    edition_id: int,
    size: int,
    holder: str,
    until: datetime,
    at: datetime | None = None,
    start: int = 0,
) -> list[BatchRow]:
    """For one of many workers (execution: celery): claim up to `size` rows that may go now, and
    return them ready to send: pending rows from id `start` on (a batch's first row: batch_starts),
    then pending rows before it, then deferred rows that are due. Starting at its own rows, a task
    reads no index entry that earlier batches left behind. The rows are locked with FOR UPDATE SKIP
    LOCKED, so workers claiming at once each get rows of their own without waiting; the claim names
    the worker and holds until `until` (see reclaim_lapsed). On SQLite, where one writer at a time
    is the rule, the lock clause is left out."""
    at = at or now()
    ids: list[int] = []
    pending = deliveries.c.status == PENDING
    for may_send in (
        pending & (deliveries.c.id >= start),
        pending & (deliveries.c.id < start),
        (deliveries.c.status == DEFERRED) & (deliveries.c.deferred_until <= at),
    ):
        if len(ids) < size:
            ids += conn.execute(
                select(deliveries.c.id)
                .where(deliveries.c.edition_id == edition_id, may_send)
                .order_by(deliveries.c.id)
                .limit(size - len(ids))
                .with_for_update(skip_locked=True)
            ).scalars()
    if not ids:
        return []
    conn.execute(
        update(deliveries)
        .where(one_of(conn, deliveries.c.id, ids))
        .values(
            status=SENDING, attempts=deliveries.c.attempts + 1, claimed_by=holder, claimed_until=until,
            updated_at=at,
        )
    )  # fmt: skip
    return _batch_rows(conn, edition_id, one_of(conn, deliveries.c.id, ids), size)


def more_after(conn: Connection, edition_id: int, after: int) -> bool:
    """Whether a pending or deferred row of the edition comes after row `after` (one index probe
    from there): a task that finds none may have sent the edition's last batch."""
    return any(
        conn.execute(
            select(deliveries.c.id)
            .where(deliveries.c.edition_id == edition_id, deliveries.c.status == status, deliveries.c.id > after)
            .order_by(deliveries.c.id)
            .limit(1)
        ).first()
        for status in (PENDING, DEFERRED)
    )


def reclaim_lapsed(conn: Connection, edition_id: int, at: datetime | None = None) -> int:
    """Rows a worker claimed and never settled before its claim lapsed (the worker died): pending
    again, flagged as possibly duplicated, as recover_in_flight does for the one local sender."""
    n = conn.execute(
        update(deliveries)
        .where(
            deliveries.c.edition_id == edition_id,
            deliveries.c.status == SENDING,
            deliveries.c.claimed_until < (at or now()),
        )
        .values(status=PENDING, interrupted=True, updated_at=now())
    ).rowcount
    _count_interrupted(conn, edition_id, n)
    return n


@dataclass(frozen=True)
class Claimed:
    """Rows a worker has with a backend now, for `digest status`."""

    worker: str
    edition_id: int
    rows: int
    until: datetime


def claims_in_flight(conn: Connection, at: datetime | None = None) -> list[Claimed]:
    rows = conn.execute(
        select(deliveries.c.claimed_by, deliveries.c.edition_id, func.count(), func.max(deliveries.c.claimed_until))
        .where(deliveries.c.status == SENDING, deliveries.c.claimed_until >= (at or now()))
        .group_by(deliveries.c.claimed_by, deliveries.c.edition_id)
        .order_by(deliveries.c.claimed_by, deliveries.c.edition_id)
    )
    return [Claimed(worker or "?", edition_id, n, until) for worker, edition_id, n, until in rows]


def batch_starts(conn: Connection, edition_id: int, size: int, at: datetime | None = None) -> list[int]:
    """The first id of each run of `size` rows that may be claimed now (pending, deferred and due, or
    claimed by a worker whose claim lapsed), in id order: one task's batch each."""
    at = at or now()
    ready = (
        (deliveries.c.status == PENDING)
        | ((deliveries.c.status == DEFERRED) & (deliveries.c.deferred_until <= at))
        | ((deliveries.c.status == SENDING) & (deliveries.c.claimed_until < at))
    )
    numbered = (
        select(deliveries.c.id, func.row_number().over(order_by=deliveries.c.id).label("n"))
        .where(deliveries.c.edition_id == edition_id, deliveries.c.status.in_((PENDING, DEFERRED, SENDING)), ready)
        .subquery()
    )
    query = select(numbered.c.id).where((numbered.c.n - 1) % size == 0).order_by(numbered.c.id)
    return list(conn.execute(query).scalars())


def claim(conn: Connection, ids: list[int], at: datetime | None = None) -> set[int]:
    """Move these rows to 'sending' if they still may be sent; returns the ids that were claimed."""
    if not ids:
        return set()
    at = at or now()
    may_send = or_(
        deliveries.c.status == PENDING,
        (deliveries.c.status == DEFERRED) & (deliveries.c.deferred_until <= at),
    )
    n = conn.execute(
        update(deliveries)
        .where(one_of(conn, deliveries.c.id, ids), may_send)
        .values(status=SENDING, attempts=deliveries.c.attempts + 1, updated_at=at)
    ).rowcount
    if n == len(ids):
        return set(ids)
    return set(
        conn.execute(
            select(deliveries.c.id).where(one_of(conn, deliveries.c.id, ids), deliveries.c.status == SENDING)
        ).scalars()
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
        .where(one_of(conn, deliveries.c.id, ids), deliveries.c.status == SENDING)
        .values(
            status=SENT,
            error=None,
            deferred_until=None,
            message_id=literal(prefix) + cast(deliveries.c.id, String) + literal(suffix),
            updated_at=now(),
        )
    ).rowcount


@dataclass(frozen=True)
class Outcome:
    """What became of a row the backend did not accept: failed for good, or deferred until when."""

    id: int
    status: DeliveryStatus  # failed or deferred
    error: str | None
    message_id: str
    deferred_until: datetime | None = None


def finish_deliveries(conn: Connection, outcomes: list[Outcome]) -> None:
    """Record outcomes row by row, on the rows still 'sending' (as mark_sent)."""
    if not outcomes:
        return
    at = now()
    conn.execute(
        update(deliveries)
        .where(deliveries.c.id == bindparam("b_id"), deliveries.c.status == SENDING)
        .values(
            status=bindparam("b_status"),
            error=bindparam("b_error"),
            message_id=bindparam("b_message_id"),
            deferred_until=bindparam("b_deferred_until"),
            updated_at=at,
        ),
        [
            {"b_id": o.id, "b_status": o.status, "b_error": o.error, "b_message_id": o.message_id,
             "b_deferred_until": o.deferred_until}
            for o in outcomes
        ],
    )  # fmt: skip


def fail_delivery(conn: Connection, delivery_id: int, reason: str) -> None:
    """The provider reported after the fact that this message will never arrive (bounce, dropped)."""
    conn.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id, deliveries.c.status.in_((SENT, FAILED)))
        .values(status=FAILED, error=reason[:1000], updated_at=now())
    )


def release_deliveries(conn: Connection, ids: list[int]) -> None:
    """Rows claimed but certainly not handed to any provider go back to pending."""
    if ids:
        conn.execute(
            update(deliveries)
            .where(one_of(conn, deliveries.c.id, ids), deliveries.c.status == SENDING)
            .values(status=PENDING, attempts=deliveries.c.attempts - 1, updated_at=now())
        )


def recover_in_flight(conn: Connection, edition_id: int) -> int:
    """Rows left 'sending' by a sender that died: send them again, marked as possibly duplicated.

    The provider may or may not have taken them before the crash; losing them is worse than a
    second copy, and the set is at most one batch because only one batch is ever in flight.
    """
    n = conn.execute(
        update(deliveries)
        .where(deliveries.c.edition_id == edition_id, deliveries.c.status == SENDING)
        .values(status=PENDING, interrupted=True, updated_at=now())
    ).rowcount
    _count_interrupted(conn, edition_id, n)
    return n


def defer_unsettled(conn: Connection, edition_id: int, ids: list[int], reason: str, until: datetime) -> None:
    """A batch whose send ended in an unexpected error: the backend may have handed part of it over,
    so its rows are tried again at `until`, flagged as possibly duplicated, as after a kill."""
    n = conn.execute(
        update(deliveries)
        .where(one_of(conn, deliveries.c.id, ids), deliveries.c.status == SENDING)
        .values(
            status=DEFERRED, deferred_until=until, error=reason[:1000], interrupted=True, updated_at=now()
        )
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
    return conn.execute(
        select(func.min(deliveries.c.deferred_until)).where(
            deliveries.c.edition_id == edition_id, deliveries.c.status == DEFERRED
        )
    ).scalar()


def cancel_remaining(conn: Connection, edition_id: int) -> int:
    """Rows not yet handed to a provider will never be: they become 'canceled'."""
    return conn.execute(
        update(deliveries)
        .where(deliveries.c.edition_id == edition_id, deliveries.c.status.in_((PENDING, DEFERRED)))
        .values(status=CANCELED, deferred_until=None, updated_at=now())
    ).rowcount


def forget_recipient(
    conn: Connection, subscriber_id: int | None, addresses: tuple[str, ...]
) -> tuple[int, int]:
    """An erased person's delivery rows (by subscriber, or by address for rows that lost theirs):
    those not handed over yet are canceled, a row in flight too (the send records no outcome on a
    row it no longer holds as 'sending'), and every row keeps its status but not the address, the
    subscriber, or the address quoted in an error or a provider's event. Returns (canceled, scrubbed)."""
    by_address = deliveries.c.email.in_(addresses) & deliveries.c.edition_id.in_(select(editions.c.id))
    theirs = or_(by_address, deliveries.c.subscriber_id == subscriber_id) if subscriber_id else by_address
    at = now()
    canceled = conn.execute(
        update(deliveries)
        .where(theirs, deliveries.c.status.in_((PENDING, DEFERRED, SENDING)))
        .values(status=CANCELED, deferred_until=None, updated_at=at)
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


@dataclass(frozen=True)
class SentEdition:
    """One edition a subscriber was sent (or is to be), with the provider's events for it, as the
    admin console's subscriber page shows it."""

    edition_id: int
    subject: str
    list_id: str
    status: DeliveryStatus
    updated_at: datetime
    error: str | None
    events: tuple[tuple[str, datetime, str | None], ...]  # (event, at, reason), oldest first


def editions_sent_to(conn: Connection, subscriber_id: int, limit: int = 500) -> list[SentEdition]:
    """The subscriber's delivery rows, newest change first, each with its events (two indexed
    queries: deliveries by subscriber, events by delivery)."""
    rows = conn.execute(
        select(deliveries.c.id, deliveries.c.edition_id, deliveries.c.status, deliveries.c.updated_at,
               deliveries.c.error, editions.c.subject, editions.c.list_id)  # fmt: skip
        .join(editions, editions.c.id == deliveries.c.edition_id)
        .where(deliveries.c.subscriber_id == subscriber_id)
        .order_by(deliveries.c.updated_at.desc(), deliveries.c.id.desc())
        .limit(limit)
    ).all()
    events: dict[int, list[tuple[str, datetime, str | None]]] = {}
    if rows:
        e = delivery_events
        for ev in conn.execute(
            select(e.c.delivery_id, e.c.event, e.c.at, e.c.reason)
            .where(e.c.delivery_id.in_([r.id for r in rows]))
            .order_by(e.c.at)
        ):
            events.setdefault(ev.delivery_id, []).append((ev.event, ev.at, ev.reason))
    return [
        SentEdition(r.edition_id, r.subject, r.list_id, DeliveryStatus(r.status), r.updated_at, r.error,
                    tuple(events.get(r.id, ())))  # fmt: skip
        for r in rows
    ]


@dataclass(frozen=True)
class DeliveryRecord:
    """One delivery row as the JSON API lists an edition's: its recipient, its state, its last change."""

    id: int
    subscriber_id: int | None
    email: str
    status: DeliveryStatus
    attempts: int
    error: str | None
    updated_at: datetime
    interrupted: bool


def deliveries_page(conn: Connection, edition_id: int, status: DeliveryStatus | None, after: int,
                    limit: int) -> list[DeliveryRecord]:  # fmt: skip
    """An edition's delivery rows after the id `after`, in id order (of one status), by keyset."""
    d = deliveries.c
    query = select(deliveries).where(d.edition_id == edition_id, d.id > after).order_by(d.id).limit(limit)
    if status is not None:
        query = query.where(d.status == status)
    return [
        DeliveryRecord(r.id, r.subscriber_id, r.email, DeliveryStatus(r.status), r.attempts, r.error, r.updated_at,
                       bool(r.interrupted))  # fmt: skip
        for r in conn.execute(query)
    ]


def editions_of(conn: Connection, delivery_ids: list[int]) -> set[int]:
    """The editions these delivery rows belong to."""
    if not delivery_ids:
        return set()
    rows = conn.execute(select(deliveries.c.edition_id).where(deliveries.c.id.in_(delivery_ids)).distinct())
    return {r.edition_id for r in rows}
