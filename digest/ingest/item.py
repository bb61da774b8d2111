"""An ingested item: the Article every stage shares, plus what ingest learns on the way that the domain
type has no field for yet (canonical URL, lead image, tags, whether the date is a guess)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from digest.domain import Article
from digest.ingest.normalize import is_article_url

MAX_ITEMS = 1000  # per feed; the rest of a larger feed is reported, not read
SUMMARY_WORDS = 100  # a body shorter than this is taken for a summary when full text is wanted
FUTURE_SLACK = timedelta(days=1)


@dataclass
class Item:
    article: Article
    where: str  # "<url> item 3": names the item in every message about it
    canonical_url: str | None = None
    image_url: str | None = None
    image_alt: str | None = None
    tags: list[str] = field(default_factory=list)
    published_guessed: bool = False  # published_at is the fetch time: the source gave no usable date
    summary_only: bool = False  # the source carried a summary, not the article
    entry_hash: str | None = None  # the entry as the source sent it
    notes: list[str] = field(default_factory=list)  # problems that did not stop the item

    @property
    def article_url(self) -> str | None:
        """The canonical URL when it names one article (not a site root): the same one means the same item."""
        return self.canonical_url if is_article_url(self.canonical_url) else None

    def date_or_fetch_time(self, fetched_at: datetime) -> None:
        """Keep a source date unless it is missing or implausibly in the future; else use the fetch time."""
        when = self.article.published_at
        if when is None or when > fetched_at + FUTURE_SLACK:
            if when is not None:
                self.notes.append(f"{self.where}: publication date {when:%Y-%m-%d %H:%M} is in the future")
            self.article.published_at = fetched_at.astimezone(UTC)
            self.published_guessed = True


def fingerprint(*parts: str | None) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update((part or "").encode("utf-8", "replace"))
        h.update(b"\0")
    return h.hexdigest()


def title_from(paragraphs: list[str], words: int = 12) -> str:
    """A stand-in title for an item that has text but no title: its first words."""
    first = (paragraphs[0] if paragraphs else "").split()
    return " ".join(first[:words]) + (" …" if len(first) > words else "")
