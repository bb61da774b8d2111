"""Which alerts an edition's publishers were mailed (digest.deliver.alerts), each once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, select

from digest.store.db import insert_new
from digest.store.tables import edition_alerts


def claim_alert(conn: Connection, edition_id: int, kind: str, rate: float) -> bool:
    """Record that the alert of this kind goes out for the edition; False when it went out before
    (of two processes claiming it at once, one gets True)."""
    values = {"edition_id": edition_id, "kind": kind, "rate": rate, "mailed_at": datetime.now(UTC)}
    return insert_new(conn, edition_alerts, values)


def alerted(conn: Connection, edition_ids: list[int]) -> set[tuple[int, str]]:
    """(edition id, kind) of the alerts already mailed for these editions."""
    if not edition_ids:
        return set()
    rows = conn.execute(
        select(edition_alerts.c.edition_id, edition_alerts.c.kind).where(edition_alerts.c.edition_id.in_(edition_ids))
    )
    return {(r.edition_id, r.kind) for r in rows}
