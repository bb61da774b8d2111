"""Joining a list: the subscribe request, the rate limit on it, and the confirmation (double opt-in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from sqlalchemy import Connection

from subscribers.addresses import Utf8Refusal, check_deliverable, normalize
from subscribers.models import MailingList, Subscriber
from subscribers.ratelimit import Limit, allow
from subscribers.service import (
    find_subscriber,
    get_subscriber,
    is_suppressed,
    membership_status,
    set_status,
    upsert_subscriber,
)


@dataclass(frozen=True)
class SubscribeLimits:
    """How many accepted subscribe requests one address, and one client IP address, may make."""

    per_address: Limit = Limit(3, timedelta(hours=1))
    per_client: Limit = Limit(20, timedelta(hours=1))


class Outcome(Enum):
    CONFIRMATION_NEEDED = "confirmation_needed"  # pending: a confirmation mail must go out
    CONFIRMED = "confirmed"  # the list has no double opt-in: the member is in
    ALREADY_CONFIRMED = "already_confirmed"  # nothing to do, nothing is sent
    SUPPRESSED = "suppressed"  # never mailed again; nothing is sent
    RATE_LIMITED = "rate_limited"
    NOT_PENDING = "not_pending"  # a renewal for a membership that no longer awaits confirmation


@dataclass(frozen=True)
class Subscription:
    outcome: Outcome
    subscriber_id: int | None = None
    nonce: str | None = None  # the subscriber's, for the links of the confirmation mail


def request_subscription(
    conn: Connection,
    lst: MailingList,
    sub: Subscriber,
    *,
    method: str,
    origin: str | None,
    wording: str | None,
    limits: SubscribeLimits = SubscribeLimits(),
    utf8_refusal: Utf8Refusal | None = None,
) -> Subscription:
    """Handle a request to join `lst`. Raises InvalidAddress for a malformed address, and NotDeliverable,
    before anything is stored, for one the delivery cannot carry (see `utf8_refusal`).

    The caller sends the confirmation mail when the outcome asks for it; the public page should say the
    same thing for every outcome but RATE_LIMITED, so it reveals nothing about who is subscribed.
    """
    email = normalize(sub.email)
    check_deliverable(email, utf8_refusal)
    if is_suppressed(conn, email):
        return Subscription(Outcome.SUPPRESSED)
    checks = [("address", email.casefold(), limits.per_address)]
    if origin:
        checks.append(("client", origin, limits.per_client))
    if not allow(conn, checks):
        return Subscription(Outcome.RATE_LIMITED)
    # Whoever fills in a public form must not be able to rewrite an existing subscriber's details.
    holder = find_subscriber(conn, email)
    if holder is None or holder.id is None:
        fresh = Subscriber(email, sub.name, sub.language, sub.timezone, sub.attributes)
        holder = get_subscriber(conn, upsert_subscriber(conn, fresh)[0])
        assert holder is not None and holder.id is not None  # just inserted
    sub_id = holder.id
    current = membership_status(conn, sub_id, lst.id)
    if current == "confirmed":
        return Subscription(Outcome.ALREADY_CONFIRMED, sub_id, holder.nonce)
    status = "pending" if lst.double_opt_in else "confirmed"
    set_status(conn, sub_id, lst.id, status, method=method, origin=origin, wording=wording)
    outcome = Outcome.CONFIRMATION_NEEDED if lst.double_opt_in else Outcome.CONFIRMED
    return Subscription(outcome, sub_id, holder.nonce)


class ConfirmResult(Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    NOT_PENDING = "not_pending"  # left, erased or suppressed since the link was sent: subscribe again


def confirm(conn: Connection, subscriber_id: int, list_id: str, *, origin: str | None) -> ConfirmResult:
    """Confirm a pending membership. Confirming twice is harmless."""
    current = membership_status(conn, subscriber_id, list_id)
    if current == "confirmed":
        return ConfirmResult.ALREADY_CONFIRMED
    sub = get_subscriber(conn, subscriber_id)
    if current != "pending" or sub is None or is_suppressed(conn, sub.email):
        return ConfirmResult.NOT_PENDING
    set_status(conn, subscriber_id, list_id, "confirmed", method="link", origin=origin)
    return ConfirmResult.CONFIRMED


def renew(
    conn: Connection,
    subscriber_id: int,
    list_id: str,
    *,
    origin: str | None,
    limits: SubscribeLimits = SubscribeLimits(),
) -> Subscription:
    """A fresh confirmation link was asked for (the first one expired): allowed while still pending."""
    current = membership_status(conn, subscriber_id, list_id)
    if current == "confirmed":
        return Subscription(Outcome.ALREADY_CONFIRMED, subscriber_id)
    sub = get_subscriber(conn, subscriber_id)
    if current != "pending" or sub is None or is_suppressed(conn, sub.email):
        return Subscription(Outcome.NOT_PENDING)
    checks = [("address", sub.email.casefold(), limits.per_address)]
    if origin:
        checks.append(("client", origin, limits.per_client))
    if not allow(conn, checks):
        return Subscription(Outcome.RATE_LIMITED)
    return Subscription(Outcome.CONFIRMATION_NEEDED, subscriber_id, sub.nonce)
