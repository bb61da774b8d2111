"""What the feed formats share (feeds.py reads RSS and Atom, jsonfeed.py JSON Feed): what a parse gives,
the cap on items, an entry's fingerprint and a stand-in title."""

from __future__ import annotations

import hashlib

from digest.domain import Article

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
