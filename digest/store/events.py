"""Provider events (delivered, bounced, opened...), each stored once by the provider's event id."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, func, select

from digest.store.db import insert_new
from digest.store.tables import delivery_events


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
