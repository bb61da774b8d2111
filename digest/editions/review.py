"""Asking a reviewed list's editors to approve a draft: who is asked (the list's editors, each once
per edition) and when (the first time its run finds the draft). What they get is the `review`
notice, rendered from the list's templates in its language (digest.deliver.notices)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection

from digest.config import ListSettings
from digest.deliver.notices import Notices
from digest.domain import Edition
from digest.errors import Invalid, NotFound
from digest.links import Links
from digest.store.editions import changes, record_change
from subscribers.service import get_list

REQUESTED = "review requested"  # the change log's entry: the editors were asked


def request_review(
    conn: Connection, lst: ListSettings, edition: Edition, links: Links, notices: Notices
) -> bool:
    """Mail the editors once per edition. Returns False when they were already asked."""
    review = lst.review
    if review is None:
        raise Invalid(f"list {lst.id!r} is not reviewed: it has no editors to ask")
    assert edition.id is not None and edition.created_at is not None  # a stored edition
    if any(change.op == REQUESTED for change in changes(conn, edition.id)):
        return False
    mailing = get_list(conn, lst.id)
    if mailing is None:
        raise NotFound(f"no list with id {lst.id!r}")
    facts = {
        "review_url": links.review(edition.id, lst.id),
        "edition": edition.id,
        "subject": edition.subject,
        "count": len(edition.items),
        "deadline": edition.created_at + timedelta(hours=review.deadline_hours),
        "timezone": lst.timezone,
        "at_deadline": review.at_deadline,
    }
    editors = [str(e) for e in review.editors]
    for editor in editors:
        notices.send("review", mailing, editor, facts)
    record_change(conn, edition.id, "scheduler", REQUESTED, {"editors": editors})
    return True
