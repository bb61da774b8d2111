"""Leaving: one list or every list, by the unsubscribe link in mail (RFC 8058's one-click POST, or
the page's button) or by an admin. Leaving twice is harmless; subscribers.service.unsubscribe has
the rule."""

from __future__ import annotations

from dataclasses import dataclass

from digest.audience.service import Audience, list_of
from subscribers.addresses import normalize
from subscribers.errors import NotFound
from subscribers.models import MailingList, Subscriber
from subscribers.service import find_subscriber, require_list, token_holder, unsubscribe
from subscribers.tokens import Claim


@dataclass(frozen=True)
class UnsubscribeLink:
    lst: MailingList
    claim: Claim
    holder: Subscriber | None  # None: erased since, there is nothing left to stop
    preferences_url: str | None  # the holder's own preferences page


def unsubscribe_link(aud: Audience, token: str) -> UnsubscribeLink:
    """What an unsubscribe link names; InvalidToken when it names no list we have."""
    claim = aud.mail.tokens.verify("unsubscribe", token)
    with aud.engine.connect() as conn:
        lst = list_of(conn, claim)
        holder = token_holder(conn, claim)
    return UnsubscribeLink(lst, claim, holder, aud.mail.preferences_url(holder) if holder else None)


def leave(
    aud: Audience, link: UnsubscribeLink, *, everything: bool, one_click: bool, origin: str | None
) -> list[str]:
    """Leave the link's list, or everything. Returns the lists left (none for someone erased since)."""
    if link.holder is None or link.holder.id is None:
        return []
    method = "one-click" if one_click else "link"
    with aud.engine.begin() as conn:
        return unsubscribe(
            conn, link.holder.id, None if everything else link.lst.id, method=method, origin=origin
        )


def remove(aud: Audience, email: str, list_id: str | None, *, origin: str) -> tuple[Subscriber, list[str]]:
    """An admin takes an address off one list, or off all (`list_id` None). Returns the subscriber
    and the lists they left; NotFound for an address or a list there is not."""
    with aud.engine.begin() as conn:
        sub = find_subscriber(conn, email)
        if sub is None or sub.id is None:
            raise NotFound(f"{normalize(email)}: no subscriber with this address")
        if list_id is not None:
            require_list(conn, list_id)
        return sub, unsubscribe(conn, sub.id, list_id, method="admin", origin=origin)
