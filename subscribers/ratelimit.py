"""A rate limit kept in the database, so it holds across workers and restarts without another service."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, delete, func, insert, select

from subscribers import tables as t
from subscribers.service import now


@dataclass(frozen=True)
class Limit:
    requests: int
    per: timedelta


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def allow(conn: Connection, checks: list[tuple[str, str, Limit]]) -> bool:
    """Record one request under every (kind, value) key unless any key has used up its limit.

    Values are stored only as hashes. Rows older than the longest window are purged on the way.
    """
    at = now()
    oldest = at - max(limit.per for _, _, limit in checks)
    conn.execute(delete(t.subscribe_requests).where(t.subscribe_requests.c.at < oldest))
    keys = []
    for kind, value, limit in checks:
        key = _key(kind, value)
        used = conn.execute(
            select(func.count()).where(
                t.subscribe_requests.c.key == key, t.subscribe_requests.c.at >= at - limit.per
            )
        ).scalar_one()
        if used >= limit.requests:
            return False
        keys.append(key)
    conn.execute(insert(t.subscribe_requests), [{"key": key, "at": at} for key in keys])
    return True
