"""The global suppression list: addresses never mailed again, each found by the hash of the address.

Reasons: bounce (hard bounce), complaint, manual (an admin's entry),
erased (the person asked to be forgotten).

A row keeps the address too while it is known, for the admin console to show; erasure clears it
(and the note, which may name the person) and makes the reason "erased", so an erased person stays
suppressed by the hash alone, for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from subscribers import tables as t
from subscribers.addresses import address_hash, normalize
from subscribers.errors import Conflict, InvalidValue, NotFound
from subscribers.service import now

REASONS = ("bounce", "complaint", "manual", "erased")
SYSTEM = "system"
PAGE_MAX = 200


@dataclass(frozen=True)
class Suppression:
    reason: str
    created_at: datetime
    id: int = 0
    email: str | None = None  # None: not known (erased, or suppressed before addresses were kept)
    note: str | None = None
    added_by: str = SYSTEM  # a user, the provider of a bounce or complaint, or "system"


def suppress(
    conn: Connection, email: str, reason: str, *, note: str | None = None, added_by: str = SYSTEM
) -> bool:
    """Suppress an address. Returns False when it already was (its first reason is kept)."""
    if reason not in REASONS:
        raise ValueError(f"unknown suppression reason {reason!r} (one of {', '.join(REASONS)})")
    email = normalize(email)
    digest = address_hash(email)
    if conn.execute(select(t.suppressions.c.id).where(t.suppressions.c.email_hash == digest)).first():
        return False
    known = None if reason == "erased" else email
    conn.execute(
        insert(t.suppressions).values(email_hash=digest, reason=reason, created_at=now(), email=known,
                                      note=note or None, added_by=added_by[:400])
    )  # fmt: skip
    return True


def suppress_many(conn: Connection, emails: list[str], reason: str, *, note: str | None = None,
                  added_by: str = SYSTEM) -> int:  # fmt: skip
    """Suppress many addresses (already normalized) at once, a few statements whatever their number;
    how many were not suppressed before (those keep their first reason)."""
    s = t.suppressions
    digests = {address_hash(e): e for e in emails}
    known = set(conn.execute(select(s.c.email_hash).where(s.c.email_hash.in_(digests))).scalars())
    new = [(d, e) for d, e in digests.items() if d not in known]
    if new:
        at = now()
        conn.execute(insert(s), [{"email_hash": d, "reason": reason, "created_at": at, "email": e, "note": note,
                                  "added_by": added_by[:400]} for d, e in new])  # fmt: skip
    return len(new)


def forget(conn: Connection, email: str) -> None:
    """Erasure: the address's suppression keeps only the hash and its date; its reason becomes
    "erased" (which no admin takes off), and the address and the note go."""
    s = t.suppressions
    digest = address_hash(normalize(email))
    conn.execute(update(s).where(s.c.email_hash == digest).values(reason="erased", email=None, note=None))


def _suppression(row: object) -> Suppression:
    return Suppression(row.reason, row.created_at, row.id, row.email, row.note, row.added_by)  # type: ignore[attr-defined]


def suppression_of(conn: Connection, email: str) -> Suppression | None:
    s = t.suppressions
    row = conn.execute(select(s).where(s.c.email_hash == address_hash(normalize(email)))).first()
    return _suppression(row) if row else None


def get_suppression(conn: Connection, suppression_id: int) -> Suppression:
    row = conn.execute(select(t.suppressions).where(t.suppressions.c.id == suppression_id)).first()
    if row is None:
        raise NotFound(f"no suppression #{suppression_id}")
    return _suppression(row)


def suppressions(
    conn: Connection, reason: str | None = None, before: int | None = None, size: int = 50
) -> tuple[list[Suppression], bool]:
    """A page of the list newest first (by id, the order they were added), of one reason or all,
    after the id `before` (keyset: the primary key, or the (reason, id) index); and whether more follow."""
    if reason and reason not in REASONS:
        raise InvalidValue("reason", reason, f"is not a suppression reason (one of {', '.join(REASONS)})")
    s = t.suppressions
    stmt = select(s)
    if reason:
        stmt = stmt.where(s.c.reason == reason)
    if before is not None:
        stmt = stmt.where(s.c.id < before)
    size = max(1, min(size, PAGE_MAX))
    rows = conn.execute(stmt.order_by(s.c.id.desc()).limit(size + 1)).all()
    return [_suppression(r) for r in rows[:size]], len(rows) > size


def unsuppress(conn: Connection, suppression_id: int) -> Suppression:
    """Take a suppression off the list: the address may be mailed and subscribed again. An erased
    person's is kept (Conflict): they asked to be forgotten, and only the hash keeps that promise."""
    found = get_suppression(conn, suppression_id)
    if found.reason == "erased":
        raise Conflict(
            "an erased person's suppression stays: it is all that keeps them from being mailed again"
        )
    conn.execute(delete(t.suppressions).where(t.suppressions.c.id == suppression_id))
    return found
