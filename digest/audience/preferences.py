"""The preferences page behind a signed link: the lists a person may tick (subscribers.preferences
has the rules), their language, their time zone, tracking or not, leave all. A double opt-in list
ticked waits, pending, for the confirmation link mailed here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from digest.audience.service import Audience, holder_of
from digest.deliver.notices import NoticeError
from subscribers import preferences as rules
from subscribers.models import MailingList
from subscribers.preferences import Preferences
from subscribers.service import unsubscribe


@dataclass(frozen=True)
class Saved:
    preferences: Preferences  # the page as it stands now
    unsent: list[MailingList]  # double opt-in lists joined whose confirmation mail did not go out


def preferences(aud: Audience, token: str) -> Preferences:
    """The page of the person a link names; InvalidToken when it names nobody (erased since)."""
    claim = aud.mail.tokens.verify("preferences", token)
    with aud.engine.connect() as conn:
        return rules.preferences(conn, holder_of(conn, claim))


def save(
    aud: Audience,
    token: str,
    *,
    lists: Iterable[str],
    language: str | None,
    timezone: str | None,
    leave_all: bool,
    origin: str | None,
    wording: str,
    tracking: bool | None = None,
) -> Saved:
    """Leave everything, or join the ticked lists and leave the others and set the language and the
    time zone, and whether opens and clicks may be tracked (None leaves each as it is, a time zone of "" clears it; InvalidValue for one that is
    not, and nothing changes). InvalidToken when the link names nobody."""
    claim = aud.mail.tokens.verify("preferences", token)
    with aud.engine.begin() as conn:
        holder = holder_of(conn, claim)
        assert holder.id is not None
        if leave_all:
            unsubscribe(conn, holder.id, None, method="preferences", origin=origin)
            to_confirm = []
        else:
            to_confirm = rules.save(
                conn, holder, set(lists), language=language, timezone=timezone, origin=origin, wording=wording,
                tracking=tracking,
            )  # fmt: skip
    unsent = []
    for lst in to_confirm:  # pending until the link is used: ticking a box confirms nothing
        try:
            aud.mail.confirmation(lst, holder, holder.email)
        except NoticeError:
            unsent.append(lst)
    with aud.engine.connect() as conn:
        return Saved(rules.preferences(conn, holder_of(conn, claim)), unsent)
