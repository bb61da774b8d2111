"""Provider events (delivered, bounced, opened...), each stored once by the provider's event id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, literal, select, tuple_, update

from digest.store.db import insert_missing
from digest.store.tables import deliveries, delivery_events
from digest.store.types import UTCDateTime


@dataclass(frozen=True)
class NewEvent:
    """A provider event to store (a row of delivery_events)."""

    event_id: str
    provider: str
    kind: str
    edition_id: int | None
    delivery_id: int | None
    reason: str | None
    at: datetime
    item_id: int | None = None  # a reader's click: the edition item (story) clicked
    url: str | None = None  # and the link
    machine: bool = False  # a privacy proxy's or a security scanner's, not a person's


def record_events(conn: Connection, events: Sequence[NewEvent]) -> set[str]:
    """Store each event once, all in one go; returns the ids of those not stored before (a provider
    posts events again when it is not sure we got them; two posts of them may even arrive at once:
    the second waits for the first and stores none of its rows). Rows go in by event id, so that
    two such posts on PostgreSQL take their keys in the same order."""
    rows = [
        {"event_id": e.event_id, "provider": e.provider, "event": e.kind, "edition_id": e.edition_id,
         "delivery_id": e.delivery_id, "reason": e.reason, "at": e.at, "item_id": e.item_id, "url": e.url,
         "machine": e.machine}
        for e in sorted(events, key=lambda e: e.event_id)
    ]  # fmt: skip
    return set(insert_missing(conn, delivery_events, rows, delivery_events.c.event_id))


def record_event(
    conn: Connection,
    event_id: str,
    provider: str,
    kind: str,
    *,
    edition_id: int | None,
    delivery_id: int | None,
    reason: str | None,
    at: datetime | None = None,
    item_id: int | None = None,
    url: str | None = None,
    machine: bool = False,
) -> bool:
    """Store an event once (record_events of one). Returns False when it was already stored (a
    provider posts an event again when it is not sure we got it; two posts of it may even arrive at once).

    A reader's click or open recorded by digest itself (digest.deliver.readers) has provider
    "digest", kind "clicked" or "opened", an event id of its own for every hit, and names the story
    (`item_id`, an edition_items id, kept after the item is gone) and the `url` clicked; `machine`
    says a privacy proxy or a security scanner made it, not a person (see readers.machine_rule).
    Unique opens are the distinct delivery_ids of an edition's "opened" events."""
    event = NewEvent(event_id, provider, kind, edition_id, delivery_id, reason, at or datetime.now(UTC), item_id,
                     url, machine)  # fmt: skip
    return bool(record_events(conn, [event]))


def mark_machine(conn: Connection, event_ids: list[str], reason: str) -> None:
    """Say these events were a machine's after all (one message's links all hit at once)."""
    if event_ids:
        conn.execute(
            update(delivery_events)
            .where(delivery_events.c.event_id.in_(event_ids))
            .values(machine=True, reason=reason)
        )


def event_counts(conn: Connection, edition_id: int) -> dict[str, int]:
    rows = conn.execute(
        select(delivery_events.c.event, func.count())
        .where(delivery_events.c.edition_id == edition_id)
        .group_by(delivery_events.c.event)
    ).all()
    return {event: n for event, n in rows}


@dataclass(frozen=True)
class EventRecord:
    event_id: str
    provider: str
    event: str
    delivery_id: int | None
    reason: str | None
    at: datetime


def events_page(conn: Connection, edition_id: int, kind: str | None, after: tuple[datetime, str] | None,
                limit: int) -> list[EventRecord]:  # fmt: skip
    """An edition's provider events in the order they happened, after (at, event id) `after`, by keyset
    over (edition_id, at, event_id) (migration 0014's index)."""
    e = delivery_events.c
    query = select(delivery_events).where(e.edition_id == edition_id)
    if kind:
        query = query.where(e.event == kind)
    if after is not None:
        query = query.where(
            tuple_(e.at, e.event_id) > tuple_(literal(after[0], UTCDateTime()), literal(after[1]))
        )
    query = query.order_by(e.at, e.event_id).limit(limit)
    return [
        EventRecord(r.event_id, r.provider, r.event, r.delivery_id, r.reason, r.at)
        for r in conn.execute(query)
    ]


@dataclass(frozen=True)
class ProblemEvent:
    """A bounce, a drop or a complaint, as the bounces page lists it."""

    event_id: str
    provider: str
    kind: str
    edition_id: int | None
    reason: str | None
    at: datetime
    # the delivery's address; None without a delivery row (a notice), "erased:<id>" once erased
    email: str | None


def problem_events(
    conn: Connection,
    kinds: tuple[str, ...],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    before: tuple[datetime, str] | None = None,
    size: int = 50,
) -> tuple[list[ProblemEvent], bool]:
    """The events of these kinds newest first, from `since` up to (not including) `until`, after the
    position `before` (at, event_id): keyset, each kind one range of the (event, at, event_id) index,
    the kinds' pages merged here. Returns the page and whether more follow."""
    e, d = delivery_events, deliveries
    found: list[ProblemEvent] = []
    for kind in kinds:
        stmt = (
            select(e.c.event_id, e.c.provider, e.c.event, e.c.edition_id, e.c.reason, e.c.at, d.c.email)
            .outerjoin(d, d.c.id == e.c.delivery_id)
            .where(e.c.event == kind)
        )
        if since is not None:
            stmt = stmt.where(e.c.at >= since)
        if until is not None:
            stmt = stmt.where(e.c.at < until)
        if before is not None:
            at, event_id = before
            stmt = stmt.where(
                tuple_(e.c.at, e.c.event_id) < tuple_(literal(at, e.c.at.type), literal(event_id))
            )
        stmt = stmt.order_by(e.c.at.desc(), e.c.event_id.desc()).limit(size + 1)
        found += [ProblemEvent(r.event_id, r.provider, r.event, r.edition_id, r.reason, r.at, r.email)
                  for r in conn.execute(stmt)]  # fmt: skip
    found.sort(key=lambda ev: (ev.at, ev.event_id), reverse=True)
    return found[:size], len(found) > size

