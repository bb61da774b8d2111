"""Feeds (RSS and Atom) through feedparser -> Articles."""

from __future__ import annotations

from calendar import timegm
from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser
from lxml import html as lxml_html

from digest.domain import Article

from .structure import is_boilerplate


class FeedError(ValueError):
    pass


def html_paragraphs(fragment: str) -> list[str]:
    """Text of the block elements of an HTML fragment, one paragraph each."""
    if not fragment.strip():
        return []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    blocks = root.xpath(".//p|.//li|.//blockquote|.//h2|.//h3|.//h4")
    texts = [" ".join(b.text_content().split()) for b in blocks] or [" ".join(root.text_content().split())]
    return [t for t in texts if t and not is_boilerplate(t)]


def _when(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(timegm(parsed), UTC) if parsed else None


def parse_feed(data: bytes, language: str | None = None) -> Iterator[tuple[int, Article | None, str | None]]:
    """Every item of a feed: (position, article, None) or (position, None, reason). Raises FeedError
    when the document is not a feed at all."""
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise FeedError(f"not a readable feed: {feed.get('bozo_exception')}")
    if not feed.version:
        raise FeedError("not a feed: no RSS or Atom document found")
    if feed.bozo:
        yield 0, None, f"malformed XML ({feed.get('bozo_exception')}); the items that could be read were kept"
    feed_language = language or (feed.feed.get("language") or "")[:2].lower() or None
    for position, entry in enumerate(feed.entries, start=1):
        link, guid = entry.get("link"), entry.get("id") or entry.get("link")
        title = " ".join((entry.get("title") or "").split())
        if not guid:
            yield position, None, "item has neither a link nor a guid"
            continue
        if not title:
            yield position, None, "item has no title"
            continue
        content = (entry.get("content") or [{}])[0].get("value") or ""
        summary = entry.get("summary") or ""
        body = html_paragraphs(content or summary)
        yield (
            position,
            Article(
                title=title,
                paragraphs=body,
                url=link,
                guid=guid,
                language=feed_language,
                byline=(entry.get("author_detail") or {}).get("name") or entry.get("author"),
                standfirst=" ".join(html_paragraphs(summary)) or None if content else None,
                published_at=_when(entry),
            ),
            None,
        )
