"""What the service holds about one address (a JSON-ready export) and erasure of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, delete, select

from subscribers import tables as t
from subscribers.addresses import normalize
from subscribers.service import find_subscriber, memberships
from subscribers.suppression import forget, suppress, suppression_of

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_address(conn: Connection, email: str) -> dict[str, Any]:
    """Everything held about the address: the subscriber, memberships, consent records, suppression."""
    email = normalize(email)
    sub = find_subscriber(conn, email)
    suppression = suppression_of(conn, email)
    data: dict[str, Any] = {
        "email": email,
        "subscriber": None,
        "memberships": [],
        "consent_events": [],
        "suppression": (
            {"reason": suppression.reason, "since": _iso(suppression.created_at), "note": suppression.note}
            if suppression
            else None
        ),
    }
    if sub is None or sub.id is None:
        return data
    created = conn.execute(select(t.subscribers.c.created_at).where(t.subscribers.c.id == sub.id)).scalar()
    data["subscriber"] = {
        "id": sub.id,
        "email": sub.email,
        "name": sub.name,
        "language": sub.language,
        "timezone": sub.timezone,
        "attributes": sub.attributes,
        "tracking": sub.tracking,  # False: they opted out of open and click tracking
        "created_at": _iso(created),
    }
    data["memberships"] = [
        {
            "list": ms.list_id,
            "status": ms.status,
            "status_changed_at": _iso(ms.status_changed_at),
            "created_at": _iso(ms.created_at),
        }
        for ms in memberships(conn, sub.id)
    ]
    ce = t.consent_events
    data["consent_events"] = [
        {
            "list": row.list_id,
            "status": row.status,
            "method": row.method,
            "origin": row.origin,
            "wording": row.wording,
            "at": _iso(row.at),
        }
        for row in conn.execute(select(ce).where(ce.c.subscriber_id == sub.id).order_by(ce.c.at, ce.c.id))
    ]
    return data


class OnErase(Protocol[T_co]):
    """What another package does about an erased person, in the erasure's transaction, before the
    subscriber row goes: given their id (None when there was no subscriber) and their addresses
    (as stored and as asked for)."""

    def __call__(self, conn: Connection, subscriber_id: int | None, addresses: tuple[str, ...]) -> T_co: ...


def erase(conn: Connection, email: str, *, on_erase: OnErase[T] | None) -> tuple[int | None, T | None]:
    """Delete everything held about the address, keeping only its hash on the suppression list (an
    earlier suppression of it keeps its date, but becomes "erased", without the address or its note).

    This package never imports `digest`, yet the person's delivery rows must go with them: the
    caller hands that in as `on_erase` (digest.audience.privacy.erase is the one call every path makes);
    None says explicitly that nothing else holds the person. Erasure deletes the subscriber and
    with them their token nonce, so no link mailed to them acts on anyone again.

    Returns (the erased subscriber's id, what `on_erase` returned). The id is None when there was no
    subscriber; the hash is kept all the same, so a later import or subscribe request cannot bring
    the address back.
    """
    email = normalize(email)
    sub = find_subscriber(conn, email)
    suppress(conn, email, "erased")
    addresses = tuple(dict.fromkeys([sub.email, email] if sub else [email]))
    for address in addresses:  # suppressed before for a bounce, say: only the hash stays, for good
        forget(conn, address)
    held = on_erase(conn, sub.id if sub else None, addresses) if on_erase else None
    if sub is None or sub.id is None:
        return None, held
    conn.execute(delete(t.consent_events).where(t.consent_events.c.subscriber_id == sub.id))
    conn.execute(delete(t.memberships).where(t.memberships.c.subscriber_id == sub.id))
    conn.execute(delete(t.subscribers).where(t.subscribers.c.id == sub.id))
    return sub.id, held
