"""Domain types of the subscriber side, and the checks every way in (the form, the CLI, an import,
the preferences page) makes of a person's fields: each raises InvalidValue naming the field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from subscribers.addresses import normalize
from subscribers.errors import InvalidValue


class MembershipStatus(StrEnum):
    PENDING = "pending"  # asked to join a double opt-in list; waits for the confirmation link
    CONFIRMED = "confirmed"  # receives the list's editions
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    COMPLAINED = "complained"


MEMBERSHIP_STATUSES = tuple(MembershipStatus)
# Statuses of a member who gets the list's mail, or will once they confirm.
RECEIVING = (MembershipStatus.PENDING, MembershipStatus.CONFIRMED)
# Statuses a member reaches by leaving or by the mail failing: nothing but the member may undo them.
LEFT_STATUSES = (MembershipStatus.UNSUBSCRIBED, MembershipStatus.BOUNCED, MembershipStatus.COMPLAINED)
SUPPORTED_LANGUAGES = ("en", "fr", "de", "es", "it")
MAX_NAME = 200  # subscribers.name, lists.name
MAX_LIST_ID = 64  # lists.id
MAX_CONSENT = 64  # consent_events.wording
_LANGUAGE_TAG = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]{2,8})*$")
_LIST_ID = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{MAX_LIST_ID - 1}}}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

ListId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Language = Annotated[str, Field(pattern=r"^[a-z]{2}$")]


class MailingList(BaseModel):
    """A mailing list as the subscriber side knows it: what it is called, who its mail is from, its
    language, whether joining takes a confirmation, whether everyone is offered it.

    digest.config.ListSettings extends it with the pipeline's settings, so a list of config.yaml is a
    MailingList as it is; a list made at the command line is one of these, and the pipeline gives it
    its defaults (digest.config.Settings.list_settings).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ListId
    name: str
    description: str = ""
    language: Language = "en"
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
    tracking: bool = True  # False once they opted out of open and click tracking (their preferences page)


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
    status: MembershipStatus
    status_changed_at: datetime
    created_at: datetime


# --- the checks of a person's fields -------------------------------------------------------------


def status_named(value: str) -> MembershipStatus:
    """The membership status a value names (an export's filter, an import's status column)."""
    try:
        return MembershipStatus(value)
    except ValueError:
        raise InvalidValue("status", value, f"is not one of {', '.join(MEMBERSHIP_STATUSES)}") from None


def language_code(tag: str) -> str:
    """A subscriber's language from a tag such as 'fr' or 'en-GB', if it is one digest writes in."""
    match = _LANGUAGE_TAG.match(tag.strip().lower())
    if not match or match.group(1) not in SUPPORTED_LANGUAGES:
        raise InvalidValue("language", tag, f"is not one of {', '.join(SUPPORTED_LANGUAGES)}")
    return match.group(1)


@lru_cache(maxsize=1024)
def known_time_zone(name: str) -> bool:
    """Whether the name is an IANA time zone this machine knows (an import asks once per zone)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def time_zone(name: str) -> str:
    """A subscriber's time zone, by its IANA name (Europe/Paris): lists with local_time send by it."""
    name = name.strip()
    if not known_time_zone(name):
        raise InvalidValue("timezone", name, "is not a known time zone (e.g. Europe/Paris)")
    return name


def person_name(name: str | None) -> str | None:
    """A subscriber's name, trimmed; None when there is none."""
    name = (name or "").strip()
    if len(name) > MAX_NAME:
        raise InvalidValue("name", name, f"is longer than {MAX_NAME} characters")
    return name or None


def consent_source(text: str | None) -> str | None:
    """Where a consent comes from, as an admin states it for an addition or an import ("signup form,
    2026"); None when none is stated."""
    if text is not None and not (0 < len(text.strip()) <= MAX_CONSENT):
        raise InvalidValue(
            "consent", text, f"say where the consent comes from in 1 to {MAX_CONSENT} characters"
        )
    return text


def person(
    email: str, *, name: str | None = None, language: str | None = None, timezone: str | None = None
) -> Subscriber:
    """A subscriber from what a form or a command gave, every field checked; raises InvalidAddress for
    the address, InvalidValue for another field."""
    language = language_code(language) if language else None
    timezone = time_zone(timezone) if timezone else None
    return Subscriber(email=normalize(email), name=person_name(name), language=language, timezone=timezone)


def new_list(
    list_id: str,
    name: str,
    *,
    from_address: str,
    from_name: str,
    language: str = "en",
    description: str = "",
    reply_to: str | None = None,
    double_opt_in: bool = True,
    public: bool = False,
) -> MailingList:
    """A list made outside config.yaml (at the command line), its fields checked: the id and the
    language as config.yaml's are, the names more strictly since they go into mail headers."""
    if not _LIST_ID.fullmatch(list_id):
        raise InvalidValue("id", list_id, f"use lower-case letters, digits, - and _ (at most {MAX_LIST_ID})")
    if language not in SUPPORTED_LANGUAGES:
        raise InvalidValue("language", language, f"is not one of {', '.join(SUPPORTED_LANGUAGES)}")
    if not name.strip() or len(name.strip()) > MAX_NAME:
        raise InvalidValue("name", name, f"give 1 to {MAX_NAME} characters")
    for key, value in (("name", name), ("from_name", from_name)):
        if _CONTROL.search(value):
            raise InvalidValue(key, value, "no line breaks or control characters (they go into mail headers)")
    return MailingList(
        id=list_id,
        name=name.strip(),
        language=language,
        description=description,
        double_opt_in=double_opt_in,
        from_address=normalize(from_address),
        from_name=from_name,
        reply_to=normalize(reply_to) if reply_to else None,
        public=public,
    )
