"""What the feed formats share (feeds.py reads RSS and Atom, jsonfeed.py JSON Feed): what a parse gives,
the cap on items, an entry's fingerprint, a stand-in title, and the article an entry makes."""

from __future__ import annotations

import hashlib
from typing import Any

from digest.domain import Article
from digest.ingest.normalize import is_article_url

MAX_ITEMS = 1000  # per feed; the rest of a larger feed is reported, not read

Parsed = tuple[int, Article | None, str | None]
"""(position, article, None) or (position, None, reason); position 0 is about the whole feed."""


class FeedError(ValueError):
    """The document is not a feed at all; nothing of it can be read."""


def fingerprint(*parts: str | None) -> str:
    """A hash of an entry as the source sent it (Article.entry_hash), or of a text without an id."""
    h = hashlib.sha256()
    for part in parts:
        h.update((part or "").encode("utf-8", "replace"))
        h.update(b"\0")
    return h.hexdigest()


def title_from(paragraphs: list[str], words: int = 12) -> str:
    """A stand-in title for an item that has text but no title: its first words."""
    first = (paragraphs[0] if paragraphs else "").split()
    return " ".join(first[:words]) + (" …" if len(first) > words else "")


def entry_article(title: str, body: list[str], link: str | None, guid: str | None, **fields: Any) -> Article:
    """The article of one feed entry: a title (or its first words), an id (or a hash of its text), and the
    link kept as canonical only where it looks like an article's own page."""
    if not title and not body:
        raise ValueError("item has neither a title nor any text")
    return Article(
        title=title or title_from(body),
        paragraphs=body,
        url=link,
        canonical_url=link if link and is_article_url(link) else None,
        guid=guid or "sha256:" + fingerprint(title, "\n".join(body)),
        **fields,
    )
