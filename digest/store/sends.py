"""An edition's send as a whole: its state (running, paused, canceled, done) and when it started.
Who sends it is the lease "send:<edition id>" (digest.store.leases)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update

from digest.domain import EditionStatus, Send, SendState
from digest.store.tables import edition_sends, editions


def load_send(conn: Connection, edition_id: int) -> Send | None:
    row = conn.execute(select(edition_sends).where(edition_sends.c.edition_id == edition_id)).first()
    if row is None:
        return None
    return Send(row.edition_id, SendState(row.state), row.started_at, row.interrupted, row.active_at)


def start_send(conn: Connection, edition_id: int) -> None:
    conn.execute(
        insert(edition_sends).values(
            edition_id=edition_id, state=SendState.RUNNING, started_at=datetime.now(UTC)
        )
    )


def mark_active(conn: Connection, edition_id: int) -> None:
    """A worker claimed a batch of the send, or its batches were enqueued, now."""
    conn.execute(
        update(edition_sends).where(edition_sends.c.edition_id == edition_id).values(active_at=datetime.now(UTC))
    )


def set_send_state(conn: Connection, edition_id: int, state: SendState) -> None:
    conn.execute(update(edition_sends).where(edition_sends.c.edition_id == edition_id).values(state=state))


def running_sends(conn: Connection) -> list[int]:
    """The editions whose send was running when it stopped (or still runs elsewhere), oldest first."""
    return list(
        conn.execute(
            select(edition_sends.c.edition_id)
            .join(editions, editions.c.id == edition_sends.c.edition_id)
            .where(editions.c.status == EditionStatus.SENDING, edition_sends.c.state == SendState.RUNNING)
            .order_by(edition_sends.c.edition_id)
        ).scalars()
    )
