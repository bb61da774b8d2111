"""SendGrid's events, applied: bounces, complaints and unsubscribes update the subscriber;
delivered, open and click are counted per edition. Each event is applied once, by sg_event_id.
The signed webhook that receives them is digest.web.routes.webhooks."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from digest.store.editions import delivery_of, fail_delivery, record_event
from subscribers import tables as sub
from subscribers.addresses import InvalidAddress, address_hash, identity, normalize
from subscribers.service import set_status

log = logging.getLogger(__name__)
def apply_events(engine: Engine, events: list[Any]) -> int:
    """Apply each new event in its own transaction; returns how many were new."""
    applied = 0
    for event in events:
        if not isinstance(event, dict) or not event.get("sg_event_id") or not event.get("event"):
            continue
        try:
            with engine.begin() as conn:
                applied += _apply(conn, event)
        except IntegrityError:  # the same event posted twice at once: the other post applied it
            continue
    return applied


def _number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _apply(conn: Connection, event: dict[str, Any]) -> bool:
    kind = str(event["event"])[:32]
    delivery = delivery_of(conn, d) if (d := _number(event.get("delivery_id"))) else None
    email = _address(event.get("email"))
    if delivery is not None and identity(delivery.email) != identity(email or delivery.email):
        delivery = None  # the ids do not belong to this address: trust neither
    reason = str(event.get("reason") or event.get("type") or "")[:500] or None
    new = record_event(
        conn,
        str(event["sg_event_id"])[:100],
        "sendgrid",
        kind,
        edition_id=delivery.edition_id if delivery else None,
        delivery_id=delivery.id if delivery else None,
        reason=reason,
    )
    if not new:
        return False
    effect = _effect(kind, event)
    if effect is None or not email:
        return True
    status, suppression = effect
    if delivery and kind in ("bounce", "dropped"):
        fail_delivery(conn, delivery.id, f"sendgrid {kind}: {reason or 'no reason given'}")
    if suppression:
        _suppress(conn, email, suppression)
    subscriber_id = delivery.subscriber_id if delivery else _subscriber_id(conn, email)
    if subscriber_id is not None:
        lists = [delivery.list_id] if delivery else _lists_of(conn, subscriber_id)
        for list_id in lists:
            set_status(conn, subscriber_id, list_id, status, method="provider", origin=f"sendgrid {kind}")
    return True


def _address(value: object) -> str:
    """The event's address as we store it: it went out with an IDNA domain (xn--), which is kept in
    Unicode here, so it matches its subscriber, its delivery row and its suppression hash."""
    text = str(value or "")[:320]
    try:
        return normalize(text) if text else ""
    except InvalidAddress:
        return text


def _effect(kind: str, event: dict[str, Any]) -> tuple[str, str | None] | None:
    """(membership status, suppression reason or None) for the events that change a subscriber."""
    if kind == "bounce":
        if event.get("type") == "blocked":  # the receiving server refused for now, not the address
            return None
        return "bounced", "bounce"
    if kind == "spamreport":
        return "complained", "complaint"
    if kind in ("unsubscribe", "group_unsubscribe"):
        return "unsubscribed", None
    if kind == "dropped":
        reason = str(event.get("reason") or "").lower()
        if "spam" in reason:
            return "complained", "complaint"
        if "unsubscribe" in reason:
            return "unsubscribed", None
        if "bounce" in reason or "invalid" in reason:
            return "bounced", "bounce"
    return None


def _suppress(conn: Connection, email: str, reason: str) -> None:
    """Add the address to the suppression list (the subscribers package has no helper for it yet)."""
    key = address_hash(email)
    if conn.execute(select(sub.suppressions.c.id).where(sub.suppressions.c.email_hash == key)).first() is None:
        conn.execute(insert(sub.suppressions).values(email_hash=key, reason=reason, created_at=datetime.now(UTC)))


def _subscriber_id(conn: Connection, email: str) -> int | None:
    return conn.execute(select(sub.subscribers.c.id).where(sub.subscribers.c.email_key == identity(email))).scalar()


def _lists_of(conn: Connection, subscriber_id: int) -> list[str]:
    return list(
        conn.execute(select(sub.memberships.c.list_id).where(sub.memberships.c.subscriber_id == subscriber_id)).scalars()
    )
