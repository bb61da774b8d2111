"""Provider events (delivered, bounced, opened...), each stored once by the provider's event id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, literal, select, tuple_

from digest.store.db import insert_new
from digest.store.tables import delivery_events
from digest.store.types import UTCDateTime


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
) -> bool:
    """Store a provider event once. Returns False when it was already stored (a provider posts an
    event again when it is not sure we got it; two posts of it may even arrive at once)."""
    values = {
        "event_id": event_id, "provider": provider, "event": kind, "edition_id": edition_id,
        "delivery_id": delivery_id, "reason": reason, "at": at or datetime.now(UTC),
    }  # fmt: skip
    return insert_new(conn, delivery_events, values)


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
