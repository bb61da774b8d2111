"""Provider events, normalized: whatever the provider, an event is one ProviderEvent, and `apply`
records it once (by the provider's event id) and does what it means.

    bounced (for good), dropped for a bounce   the row failed; the membership bounced; suppressed
    complained, dropped after a complaint     the membership complained; suppressed
    unsubscribed, dropped as unsubscribed      the membership is unsubscribed
    bounced for now, delivered, opened, ...   counted for the edition, nothing more

Each provider's module turns its own payload into ProviderEvents (as django-anymail's webhooks
do): digest.deliver.backends.sendgrid.parse_events. A post's events are applied together, in one
transaction (apply): a provider posts them by the thousand. Suppression and memberships change through the
subscriber domain (subscribers.suppression, subscribers.service), never here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Connection, Engine

from digest.domain import Delivery
from digest.store.deliveries import deliveries_by_id, fail_delivery
from digest.store.editions import list_of
from digest.store.events import NewEvent, record_events
from subscribers.addresses import InvalidAddress, identity, normalize
from subscribers.models import MembershipStatus
from subscribers.service import find_subscriber, memberships, set_status
from subscribers.suppression import suppress

log = logging.getLogger(__name__)


class EventKind(StrEnum):
    QUEUED = "queued"  # the provider took the message
    DELIVERED = "delivered"  # the receiving server took it
    DEFERRED = "deferred"  # the receiving server said: later
    BOUNCED = "bounced"  # the receiving server refused it (see Cause: for good, or for now)
    DROPPED = "dropped"  # the provider did not send it (see Cause: why)
    COMPLAINED = "complained"  # the recipient marked it as spam
    UNSUBSCRIBED = "unsubscribed"  # through the provider's own link or list
    OPENED = "opened"
    CLICKED = "clicked"
    OTHER = "other"


class Cause(StrEnum):
    """Why a message bounced or was dropped."""

    HARD_BOUNCE = "hard bounce"  # the address does not exist or refuses our mail for good
    SOFT_BOUNCE = "soft bounce"  # refused for now (a full mailbox, a blocked server): not the address's fault
    INVALID = "invalid"  # not an address mail can reach
    COMPLAINT = "complaint"  # dropped: the recipient complained before
    UNSUBSCRIBED = "unsubscribed"  # dropped: the recipient unsubscribed before
    OTHER = "other"


@dataclass(frozen=True)
class ProviderEvent:
    provider: str
    event_id: str  # the provider's own id of the event: a repeated post changes nothing
    kind: EventKind
    recipient: str  # as the provider names it (an IDNA domain as sent)
    delivery_id: int | None = None  # our delivery row, as the message carried it; None for a notice
    cause: Cause | None = None  # for bounced and dropped
    reason: str | None = None  # the provider's words (an SMTP reply, a drop reason)
    at: datetime | None = None


# What an event does to the member: (membership status, suppression reason or None).
EFFECTS: dict[tuple[EventKind, Cause | None], tuple[MembershipStatus, str | None]] = {
    (EventKind.BOUNCED, Cause.HARD_BOUNCE): (MembershipStatus.BOUNCED, "bounce"),
    (EventKind.DROPPED, Cause.HARD_BOUNCE): (MembershipStatus.BOUNCED, "bounce"),
    (EventKind.DROPPED, Cause.INVALID): (MembershipStatus.BOUNCED, "bounce"),
    (EventKind.COMPLAINED, None): (MembershipStatus.COMPLAINED, "complaint"),
    (EventKind.DROPPED, Cause.COMPLAINT): (MembershipStatus.COMPLAINED, "complaint"),
    (EventKind.UNSUBSCRIBED, None): (MembershipStatus.UNSUBSCRIBED, None),
    (EventKind.DROPPED, Cause.UNSUBSCRIBED): (MembershipStatus.UNSUBSCRIBED, None),
}


def apply(engine: Engine, events: Sequence[ProviderEvent]) -> int:
    """Apply a batch of events (a webhook post: up to about 1,000) in one transaction; returns how
    many were new. See apply_in."""
    if not events:
        return 0
    with engine.begin() as conn:
        return apply_in(conn, events)


def apply_in(conn: Connection, events: Sequence[ProviderEvent]) -> int:
    """Record the events and do what the new ones mean; returns how many were new. The deliveries
    they name are read in one query, every event's row is inserted at once (ON CONFLICT DO NOTHING,
    the new ones learnt through RETURNING), and only the new events that change something (bounces,
    complaints, unsubscribes: few) do more, in the order they came. An event id seen before, in an
    earlier post or earlier in this one, changes nothing."""
    now = datetime.now(UTC)
    found = deliveries_by_id(conn, sorted({e.delivery_id for e in events if e.delivery_id is not None}))
    addresses: dict[str, str] = {}
    first: dict[str, tuple[ProviderEvent, str, Delivery | None]] = {}
    for event in events:
        key = event.event_id[:100]
        if key in first:
            continue
        email = addresses.get(event.recipient)
        if email is None:
            email = addresses[event.recipient] = _address(event.recipient)
        delivery = found.get(event.delivery_id) if event.delivery_id is not None else None
        if delivery is not None and identity(delivery.email) != identity(email or delivery.email):
            delivery = None  # the ids do not belong to this address: trust neither
        first[key] = (event, email, delivery)
    new = record_events(conn, [
        NewEvent(key, event.provider, event.kind, delivery.edition_id if delivery else None,
                 delivery.id if delivery else None, (event.reason or "")[:500] or None, event.at or now)
        for key, (event, _, delivery) in first.items()
    ])  # fmt: skip
    effects = [(first[key], effect) for key in first if key in new and (effect := _effect(first[key][0]))]
    # by address (in their order for each): two posts at once lock the members in one order
    for (event, email, delivery), (status, suppression) in sorted(effects, key=lambda x: x[0][1]):
        if email:
            _do(conn, event, email, delivery, status, suppression)
    return len(new)


def _effect(event: ProviderEvent) -> tuple[MembershipStatus, str | None] | None:
    return EFFECTS.get(
        (event.kind, event.cause if event.kind in (EventKind.BOUNCED, EventKind.DROPPED) else None)
    )


def _do(conn: Connection, event: ProviderEvent, email: str, delivery: Delivery | None,
        status: MembershipStatus, suppression: str | None) -> None:  # fmt: skip
    """What a new bounce, complaint or unsubscribe means: the row failed, the address suppressed,
    the membership's status set."""
    if (
        delivery is not None
        and delivery.id is not None
        and event.kind in (EventKind.BOUNCED, EventKind.DROPPED)
    ):
        fail_delivery(
            conn, delivery.id, f"{event.provider} {event.kind}: {event.reason or 'no reason given'}"
        )
    try:
        if suppression:
            suppress(conn, email, suppression, added_by=event.provider)
        _set_member(conn, email, delivery, status, f"{event.provider} {event.kind}")
    except InvalidAddress:  # not an address we could have mailed: nothing of ours to change
        log.info("%s event %s names no valid address", event.provider, event.event_id)


def _set_member(
    conn: Connection, email: str, delivery: Delivery | None, status: MembershipStatus, origin: str
) -> None:
    """The membership the mail went out for, or, without a delivery row (a notice, an unknown id),
    every membership of the address."""
    subscriber_id = delivery.subscriber_id if delivery else None
    if delivery is None:
        found = find_subscriber(conn, email)
        subscriber_id = found.id if found else None
    if subscriber_id is None:
        return
    edition_list = list_of(conn, delivery.edition_id) if delivery else None
    lists = [edition_list] if edition_list else [m.list_id for m in memberships(conn, subscriber_id)]
    for list_id in lists:
        set_status(conn, subscriber_id, list_id, status, method="provider", origin=origin)


def _address(value: str) -> str:
    """The address as we store it: it went out with an IDNA domain (xn--), which is kept in Unicode
    here, so it matches its subscriber, its delivery row and its suppression hash."""
    text = value[:320]
    try:
        return normalize(text) if text else ""
    except InvalidAddress:
        return text
