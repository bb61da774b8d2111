"""The preferences page's rules: which lists a person may choose there, and what ticking one does.

The page offers the public lists and the lists the person is or was on, never another private list
(one made for an import, say), whatever the form posts. Ticking a list with double opt-in makes the
membership pending: the caller mails the confirmation link, and only that link confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from subscribers.models import (
    RECEIVING,
    SUPPORTED_LANGUAGES,
    MailingList,
    MembershipStatus,
    Subscriber,
    time_zone,
)
from subscribers.service import (
    all_lists,
    is_suppressed,
    memberships,
    set_status,
    unsubscribe,
    update_subscriber,
)


@dataclass(frozen=True)
class Preferences:
    """What the page shows a person: the lists they may tick, and where they stand on each."""

    subscriber: Subscriber
    lists: list[MailingList]
    status: dict[str, MembershipStatus]  # list id -> their membership, for the lists they have one of

    @property
    def receiving(self) -> set[str]:
        return {list_id for list_id, status in self.status.items() if status in RECEIVING}

    @property
    def pending(self) -> set[str]:
        return {list_id for list_id, status in self.status.items() if status == MembershipStatus.PENDING}


def preferences(conn: Connection, sub: Subscriber) -> Preferences:
    """The lists the person may tick (the public ones and those they have a membership of)."""
    assert sub.id is not None
    status = {ms.list_id: ms.status for ms in memberships(conn, sub.id)}
    return Preferences(sub, [lst for lst in all_lists(conn) if lst.public or lst.id in status], status)


def save(
    conn: Connection,
    sub: Subscriber,
    wanted: set[str],
    *,
    language: str | None,
    timezone: str | None,
    origin: str | None,
    wording: str,
    tracking: bool | None = None,
) -> list[MailingList]:
    """Join the ticked lists and leave the others, among the choosable ones; set the language, the
    time zone and whether opens and clicks may be tracked (None leaves each as it is, a time zone of
    "" clears it). A time zone that is not one raises InvalidValue before anything changes; a
    language digest does not write in is ignored.

    Returns the double opt-in lists just joined: pending until the person uses the link the caller
    mails them. A list already pending is left so (its link is in the inbox). A suppressed address
    joins nothing.
    """
    assert sub.id is not None
    details: dict[str, str | bool | None] = {}
    if tracking is not None and tracking != sub.tracking:
        details["tracking"] = tracking
    if timezone is not None and timezone.strip() != (sub.timezone or ""):
        details["timezone"] = time_zone(timezone) if timezone.strip() else None
    if language in SUPPORTED_LANGUAGES and language != sub.language:
        details["language"] = language
    update_subscriber(conn, sub.id, **details)
    suppressed = is_suppressed(conn, sub.email)
    shown = preferences(conn, sub)
    to_confirm = []
    for lst in shown.lists:
        now = shown.status.get(lst.id)
        if lst.id in wanted and now not in RECEIVING and not suppressed:
            joined = MembershipStatus.PENDING if lst.double_opt_in else MembershipStatus.CONFIRMED
            set_status(conn, sub.id, lst.id, joined, method="preferences", origin=origin, wording=wording)
            if lst.double_opt_in:
                to_confirm.append(lst)
        elif lst.id not in wanted and now in RECEIVING:
            unsubscribe(conn, sub.id, lst.id, method="preferences", origin=origin)
    return to_confirm
