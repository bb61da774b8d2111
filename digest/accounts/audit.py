"""The audit log: who did what, when, to which object. Written in the same transaction as the action
it records, so the log never claims what did not happen nor misses what did."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from digest.domain import Actor, AuditEntry
from digest.store import accounts as store


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    object_type: str | None = None,
    object_id: object = None,
    details: dict[str, Any] | None = None,
) -> None:
    store.insert_audit(
        conn,
        at=datetime.now(UTC),
        actor=actor.name,
        user_id=actor.user_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details={k: _plain(v) for k, v in (details or {}).items()},
        client=actor.client,
    )


def _plain(value: object) -> object:
    """JSON-ready: numbers, strings, booleans, lists of them; anything else as its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def entries(engine: Engine, **filters: Any) -> list[AuditEntry]:
    """The newest entries first: filters user_id, action, action_prefix, object_type, object_id, since,
    until, before_id (the last id of the page before), limit."""
    with engine.connect() as conn:
        return store.audit_entries(conn, **filters)
