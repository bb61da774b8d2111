"""Domain types of the subscriber side."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class MembershipStatus(StrEnum):
    PENDING = "pending"  # asked to join a double opt-in list; waits for the confirmation link
    CONFIRMED = "confirmed"  # receives the list's editions
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    COMPLAINED = "complained"


MEMBERSHIP_STATUSES = tuple(MembershipStatus)
# Statuses a member reaches by leaving or by the mail failing: nothing but the member may undo them.
LEFT_STATUSES = (MembershipStatus.UNSUBSCRIBED, MembershipStatus.BOUNCED, MembershipStatus.COMPLAINED)
SUPPORTED_LANGUAGES = ("en", "fr", "de", "es", "it")
MAX_NAME = 200  # subscribers.name
_LANGUAGE_TAG = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]{2,8})*$")


def language_code(tag: str) -> str:
    """A subscriber's language from a tag such as 'fr' or 'en-GB', if it is one digest writes in;
    else ValueError saying which it writes in. Every way in (add, import) checks it so."""
    match = _LANGUAGE_TAG.match(tag.strip().lower())
    if not match or match.group(1) not in SUPPORTED_LANGUAGES:
        raise ValueError(f"is not one of {', '.join(SUPPORTED_LANGUAGES)}")
    return match.group(1)


@dataclass
class MailingList:
    id: str
    name: str
    language: str = "en"
    description: str = ""
    double_opt_in: bool = True
    from_address: str = ""
    from_name: str = ""
    reply_to: str | None = None
    public: bool = False  # offered on everyone's preferences page; private lists only to their members


@dataclass
class Subscriber:
    email: str
    name: str | None = None
    language: str | None = None
    timezone: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    id: int | None = None
    nonce: str | None = None  # carried by their links (subscribers.tokens); set by the store


@dataclass(frozen=True)
class Recipient:
    """One confirmed, non-suppressed member of a list at send time."""

    subscriber_id: int
    email: str
    list_id: str
    name: str | None = None
    language: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class Membership:
    list_id: str
    status: str
    status_changed_at: datetime
    created_at: datetime
