"""The preferences page's rules: which lists a person may choose there, and what ticking one does.

The page offers the public lists and the lists the person is or was on, never another private list
(one made for an import, say), whatever the form posts. Ticking a list with double opt-in makes the
membership pending: the caller mails the confirmation link, and only that link confirms it.
"""

from __future__ import annotations

from sqlalchemy import Connection, update

from subscribers import tables as t
from subscribers.models import SUPPORTED_LANGUAGES, MailingList, Subscriber
from subscribers.service import all_lists, is_suppressed, memberships, set_status

RECEIVING = ("pending", "confirmed")


def choosable(conn: Connection, subscriber_id: int) -> list[MailingList]:
    """The lists the person may tick: the public ones and those they have a membership of."""
    held = {ms.list_id for ms in memberships(conn, subscriber_id)}
    return [lst for lst in all_lists(conn) if lst.public or lst.id in held]


def save(
    conn: Connection,
    sub: Subscriber,
    wanted: set[str],
    language: str | None,
    *,
    origin: str | None,
    wording: str,
) -> list[MailingList]:
    """Join the ticked lists and leave the others, among the choosable ones; set the language.

    Returns the double opt-in lists just joined: pending until the person uses the link the caller
    mails them. A list already pending is left so (its link is in the inbox). A suppressed address
    joins nothing.
    """
    assert sub.id is not None
    if language in SUPPORTED_LANGUAGES and language != sub.language:
        conn.execute(update(t.subscribers).where(t.subscribers.c.id == sub.id).values(language=language))
    status = {ms.list_id: ms.status for ms in memberships(conn, sub.id)}
    suppressed = is_suppressed(conn, sub.email)
    to_confirm = []
    for lst in choosable(conn, sub.id):
        now = status.get(lst.id)
        if lst.id in wanted and now not in RECEIVING and not suppressed:
            joined = "pending" if lst.double_opt_in else "confirmed"
            set_status(conn, sub.id, lst.id, joined, method="preferences", origin=origin, wording=wording)
            if lst.double_opt_in:
                to_confirm.append(lst)
        elif lst.id not in wanted and now in RECEIVING:
            set_status(conn, sub.id, lst.id, "unsubscribed", method="preferences", origin=origin)
    return to_confirm
