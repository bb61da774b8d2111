"""Joining a list: the subscribe request and its rate limit, an admin's addition, and the
confirmation (double opt-in). The caller mails the confirmation link when an outcome asks for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from sqlalchemy import Connection

from subscribers.addresses import Utf8Refusal, check_deliverable, normalize
from subscribers.errors import Conflict, InvalidValue
from subscribers.models import MailingList, MembershipStatus, Subscriber, consent_source
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
    CONFIRMED = "confirmed"  # the member is in (no double opt-in, or a stated consent)
    ALREADY_CONFIRMED = "already_confirmed"  # nothing to do, nothing is sent
    SUPPRESSED = "suppressed"  # never mailed again; nothing is sent
    RATE_LIMITED = "rate_limited"
    NOT_PENDING = "not_pending"  # left, erased or suppressed since the link was sent: subscribe again


@dataclass(frozen=True)
class Subscription:
    outcome: Outcome
    subscriber: Subscriber | None = None  # its id and nonce sign the links of the confirmation mail


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

    The public page should say the same thing for every outcome but RATE_LIMITED, so it reveals
    nothing about who is subscribed.
    """
    email = normalize(sub.email)
    check_deliverable(email, utf8_refusal)
    if is_suppressed(conn, email):
        return Subscription(Outcome.SUPPRESSED)
    if not _allowed(conn, email, origin, limits):
        return Subscription(Outcome.RATE_LIMITED)
    # Whoever fills in a public form must not be able to rewrite an existing subscriber's details.
    holder = find_subscriber(conn, email)
    if holder is None or holder.id is None:
        fresh = Subscriber(email, sub.name, sub.language, sub.timezone, sub.attributes)
        holder = get_subscriber(conn, upsert_subscriber(conn, fresh)[0])
        assert holder is not None and holder.id is not None  # just inserted
    if membership_status(conn, holder.id, lst.id) == MembershipStatus.CONFIRMED:
        return Subscription(Outcome.ALREADY_CONFIRMED, holder)
    status = MembershipStatus.PENDING if lst.double_opt_in else MembershipStatus.CONFIRMED
    set_status(conn, holder.id, lst.id, status, method=method, origin=origin, wording=wording)
    return Subscription(Outcome.CONFIRMATION_NEEDED if lst.double_opt_in else Outcome.CONFIRMED, holder)


def add(
    conn: Connection,
    lst: MailingList,
    sub: Subscriber,
    *,
    consent: str | None,
    origin: str,
    utf8_refusal: Utf8Refusal | None = None,
) -> Subscription:
    """An admin adds someone. With the consent's source stated, they are a confirmed member at once
    (their details merged into what is held); without, a double opt-in list asks them to confirm, as
    the public form does; a list without double opt-in needs the consent stated.

    A suppressed address is refused (Conflict), as is one sent several confirmations within the hour.
    """
    consent = consent_source(consent)
    if consent is None and not lst.double_opt_in:
        reason = f"list {lst.id} has no double opt-in, so nobody confirms by mail: say where the consent comes from"
        raise InvalidValue("consent", "", reason)
    email = normalize(sub.email)
    if consent is None:
        # No client address: the per-client limit guards the public form, not the admins.
        result = request_subscription(
            conn, lst, sub, method="admin", origin=None, wording=None, utf8_refusal=utf8_refusal
        )
    else:
        check_deliverable(email, utf8_refusal)
        result = (
            Subscription(Outcome.SUPPRESSED)
            if is_suppressed(conn, email)
            else _confirm_now(conn, lst, sub, consent, origin)
        )
    if result.outcome is Outcome.SUPPRESSED:
        raise Conflict(f"{email} is on the suppression list: it will not be added")
    if result.outcome is Outcome.RATE_LIMITED:
        raise Conflict(f"{email} was sent several confirmation links within the hour; try later")
    return result


def _confirm_now(
    conn: Connection, lst: MailingList, sub: Subscriber, consent: str, origin: str
) -> Subscription:
    sid, _ = upsert_subscriber(conn, sub)
    holder = get_subscriber(conn, sid)
    if membership_status(conn, sid, lst.id) == MembershipStatus.CONFIRMED:
        return Subscription(Outcome.ALREADY_CONFIRMED, holder)
    set_status(conn, sid, lst.id, MembershipStatus.CONFIRMED, method="admin", origin=origin, wording=consent)
    return Subscription(Outcome.CONFIRMED, holder)


def confirm(conn: Connection, holder: Subscriber, list_id: str, *, origin: str | None) -> Outcome:
    """Confirm a pending membership: CONFIRMED, ALREADY_CONFIRMED (confirming twice is harmless) or
    NOT_PENDING."""
    assert holder.id is not None
    current = membership_status(conn, holder.id, list_id)
    if current == MembershipStatus.CONFIRMED:
        return Outcome.ALREADY_CONFIRMED
    if current != MembershipStatus.PENDING or is_suppressed(conn, holder.email):
        return Outcome.NOT_PENDING
    set_status(conn, holder.id, list_id, MembershipStatus.CONFIRMED, method="link", origin=origin)
    return Outcome.CONFIRMED


def renew(
    conn: Connection,
    holder: Subscriber,
    list_id: str,
    *,
    origin: str | None,
    limits: SubscribeLimits = SubscribeLimits(),
) -> Subscription:
    """A fresh confirmation link was asked for (the first one expired): allowed while still pending."""
    assert holder.id is not None
    current = membership_status(conn, holder.id, list_id)
    if current == MembershipStatus.CONFIRMED:
        return Subscription(Outcome.ALREADY_CONFIRMED, holder)
    if current != MembershipStatus.PENDING or is_suppressed(conn, holder.email):
        return Subscription(Outcome.NOT_PENDING)
    if not _allowed(conn, holder.email, origin, limits):
        return Subscription(Outcome.RATE_LIMITED)
    return Subscription(Outcome.CONFIRMATION_NEEDED, holder)


def _allowed(conn: Connection, email: str, origin: str | None, limits: SubscribeLimits) -> bool:
    """Count a request that mails a confirmation, per address and per client; False once either is used up."""
    checks = [("address", email.casefold(), limits.per_address)]
    if origin:
        checks.append(("client", origin, limits.per_client))
    return allow(conn, checks)
