"""The global suppression list: addresses never mailed again, kept only as a hash of the address.

Reasons: bounce (hard bounce), complaint, manual (an admin's entry),
erased (the person asked to be forgotten).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from subscribers import tables as t
from subscribers.addresses import address_hash, normalize
from subscribers.service import now

REASONS = ("bounce", "complaint", "manual", "erased")


@dataclass(frozen=True)
class Suppression:
    reason: str
    created_at: datetime


def suppress(conn: Connection, email: str, reason: str) -> bool:
    """Suppress an address. Returns False when it already was (its first reason is kept)."""
    if reason not in REASONS:
        raise ValueError(f"unknown suppression reason {reason!r} (one of {', '.join(REASONS)})")
    digest = address_hash(normalize(email))
    if conn.execute(select(t.suppressions.c.id).where(t.suppressions.c.email_hash == digest)).first():
        return False
    conn.execute(insert(t.suppressions).values(email_hash=digest, reason=reason, created_at=now()))
    return True


def suppression_of(conn: Connection, email: str) -> Suppression | None:
    row = conn.execute(
        select(t.suppressions.c.reason, t.suppressions.c.created_at).where(
            t.suppressions.c.email_hash == address_hash(normalize(email))
        )
    ).first()
    return Suppression(row.reason, row.created_at) if row else None
