"""A sending limit's state in the database, so that every worker sending through one provider keeps
to one limit (digest.deliver.throttle.SharedThrottle)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from digest.store.db import insert_new
from digest.store.tables import throttles


def locked_state(conn: Connection, name: str) -> dict[str, Any]:
    """The limit's state, locked until the caller's transaction ends (FOR UPDATE: the workers take
    turns); an empty state the first time."""
    insert_new(conn, throttles, {"name": name, "state": {}})
    state = conn.execute(select(throttles.c.state).where(throttles.c.name == name).with_for_update()).scalar()
    return dict(state or {})


def save_state(conn: Connection, name: str, state: dict[str, Any]) -> None:
    conn.execute(update(throttles).where(throttles.c.name == name).values(state=state))
