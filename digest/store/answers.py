"""The JSON API's answers by Idempotency-Key: rows of api_answers. A key is taken by inserting its row
(one insert wins, whatever the process); the answer is written when the first request has one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from digest.store.db import insert_new
from digest.store.tables import api_answers as a


@dataclass(frozen=True)
class Kept:
    fingerprint: str
    status: int | None  # None while the first request runs
    answer: Any
    created_at: datetime


def take(conn: Connection, token_id: int, key: str, fingerprint: str, at: datetime) -> Kept | None:
    """None when this call took the key (its request is to be done); else what the key holds."""
    values = {"token_id": token_id, "key": key, "fingerprint": fingerprint, "created_at": at}
    if insert_new(conn, a, values):
        return None
    row = conn.execute(select(a).where(a.c.token_id == token_id, a.c.key == key)).first()
    if row is None:  # forgotten between the two statements: take it now
        return take(conn, token_id, key, fingerprint, at)
    return Kept(row.fingerprint, row.status, row.answer, row.created_at)


def keep(conn: Connection, token_id: int, key: str, status: int, answer: Any) -> None:
    conn.execute(update(a).where(a.c.token_id == token_id, a.c.key == key).values(status=status, answer=answer))


def forget(conn: Connection, token_id: int, key: str) -> None:
    conn.execute(delete(a).where(a.c.token_id == token_id, a.c.key == key))


def forget_before(conn: Connection, before: datetime) -> int:
    return int(conn.execute(delete(a).where(a.c.created_at < before)).rowcount)
