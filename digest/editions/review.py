"""Asking a reviewed list's editors to approve a draft: one mail each, with the signed preview link."""

from __future__ import annotations

import html
from datetime import timedelta

from sqlalchemy import Connection

from digest.config import ListSettings
from digest.deliver.notices import SendNotice
from digest.domain import Edition
from digest.links import Links
from digest.store.editions import changes, record_change


def request_review(
    conn: Connection, lst: ListSettings, edition: Edition, links: Links, send: SendNotice
) -> bool:
    """Mail the editors once per edition. Returns False when they were already asked."""
    review = lst.review
    if review is None:
        raise ValueError(f"list {lst.id!r} is not reviewed: it has no editors to ask")
    assert edition.id is not None and edition.created_at is not None  # a stored edition
    if any(row.op == "review requested" for row in changes(conn, edition.id)):
        return False
    url = links.review(edition.id, lst.id)
    deadline = edition.created_at + timedelta(hours=review.deadline_hours)  # UTC
    then = "sent as it is" if review.at_deadline == "send" else "skipped"
    lines = [
        f"Edition #{edition.id} of {lst.name} is ready for review: {len(edition.items)} item(s).",
        f"Subject: {edition.subject}",
        f"Preview: {url}",
        f"Approve it with: digest editions approve {edition.id}",
        f"If nobody approves it by {deadline:%Y-%m-%d %H:%M} UTC, it will be {then}.",
    ]
    text = "\n".join(lines) + "\n"
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    body = body.replace(html.escape(url), f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
    for editor in review.editors:
        send(
            str(editor),
            f"[review] {edition.subject}",
            text,
            f"<!doctype html><html><body>{body}</body></html>",
            list_id=lst.id,
        )
    record_change(
        conn, edition.id, "scheduler", "review requested", {"editors": [str(e) for e in review.editors]}
    )
    return True
