"""Feeds -> Articles: RSS 0.9x, 1.0 and 2.0 and Atom through feedparser, JSON Feed through jsonfeed.py."""

from __future__ import annotations

from calendar import timegm
from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser

from digest.domain import Article, Image
from digest.ingest.entries import MAX_ITEMS, FeedError, Parsed, entry_article, fingerprint
from digest.ingest.html import first_image, html_paragraphs, image, plain_text, sanitize
from digest.ingest.jsonfeed import parse_json_feed
from digest.ingest.normalize import canonical_url, language_code

__all__ = ["FeedError", "Parsed", "parse_feed"]


def looks_like_json(data: bytes, content_type: str) -> bool:
    return "json" in content_type or data.lstrip()[:1] == b"{"


def parse_feed(
    data: bytes,
    *,
    url: str = "",
    content_type: str = "",
    charset: str | None = None,
    language: str | None = None,
) -> list[Parsed]:
    """Every item of a feed, as (position, article, None) or (position, None, reason); position 0 is
    about the whole feed. Raises FeedError, naming the URL, when the document is not a feed at all."""
    try:
        return list(_parse(data, url, content_type, charset, language))
    except FeedError as exc:
        raise FeedError(f"{exc} (in {url})" if url else str(exc)) from None


def _parse(
    data: bytes, url: str, content_type: str, charset: str | None, language: str | None
) -> Iterator[Parsed]:
    if not data.strip():
        raise FeedError("empty response: no feed document")
    if looks_like_json(data, content_type):
        yield from parse_json_feed(data, url=url, language=language)
        return
    headers = {
        "content-type": f"{content_type}; charset={charset}" if charset else content_type or "application/xml"
    }
    # nh3 sanitizes what is kept, and far faster than feedparser's own sanitizer
    feed = feedparser.parse(data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    if not feed.version:
        if "html" in content_type or data.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html")):
            raise FeedError(
                f"not a feed: an HTML page ({content_type or 'no content type'}) where a feed was expected"
            )
        problem = feed.get("bozo_exception")
        raise FeedError(
            f"not a feed: no RSS, Atom or JSON Feed document found{f' ({problem})' if problem else ''}"
        )
    if feed.bozo:
        yield 0, None, _bozo_reason(feed.get("bozo_exception"))
    if not feed.entries:
        yield 0, None, "the feed has no items"
    base = feed.feed.get("link") or url
    feed_language = language or language_code(feed.feed.get("language"))
    for position, entry in enumerate(feed.entries, start=1):
        if position > MAX_ITEMS:
            yield (
                position,
                None,
                f"the feed has {len(feed.entries)} items; only the first {MAX_ITEMS} were read",
            )
            return
        try:
            yield position, _article(entry, base, feed_language), None
        except ValueError as exc:
            yield position, None, str(exc)


def _bozo_reason(exc: Exception | None) -> str:
    if isinstance(exc, feedparser.CharacterEncodingOverride | feedparser.CharacterEncodingUnknown):
        return f"wrong or missing charset ({exc}); the text was decoded as well as it could be"
    return f"malformed XML ({exc}); the items that could be read were kept"


def _when(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed = dict.get(entry, "published_parsed") or dict.get(
        entry, "updated_parsed"
    )  # no feedparser aliasing
    try:
        return datetime.fromtimestamp(timegm(parsed), UTC) if parsed else None
    except (OverflowError, ValueError, TypeError):
        return None


def _image(entry: feedparser.FeedParserDict, content: str, base: str) -> Image | None:
    """media:content or media:thumbnail (with their width and height), else an image enclosure, else the
    first <img> of the entry's HTML."""
    for media in (entry.get("media_content") or []) + (entry.get("media_thumbnail") or []):
        if media.get("url") and (media.get("medium") == "image" or "image" in media.get("type", "image")):
            found = image(
                media["url"], base, entry.get("media_description"), media.get("width"), media.get("height")
            )
            if found:
                return found
    for enclosure in entry.get("enclosures") or []:
        if enclosure.get("href") and enclosure.get("type", "").startswith("image/"):
            if found := image(enclosure["href"], base):
                return found
    return first_image(content, base)


def _article(entry: feedparser.FeedParserDict, base: str, language: str | None) -> Article:
    link = canonical_url(entry.get("link"), base)
    title = plain_text(entry.get("title"))
    raw_content = (entry.get("content") or [{}])[0].get("value") or ""
    raw_summary = entry.get("summary") or ""
    content, summary = sanitize(raw_content) or "", sanitize(raw_summary) or ""
    body = html_paragraphs(content or summary)
    guid = entry.get("id") or entry.get("link")
    return entry_article(
        title,
        body,
        link,
        guid,
        language=language,
        byline=(entry.get("author_detail") or {}).get("name") or entry.get("author"),
        standfirst=" ".join(html_paragraphs(summary)) or None if content else None,
        published_at=_when(entry),
        html=content or summary or None,
        image=_image(entry, content or summary, base),
        tags=[t["term"] for t in entry.get("tags") or [] if t.get("term")],
        entry_hash=fingerprint(
            guid or "", title, raw_content, raw_summary, entry.get("link"), dict.get(entry, "updated")
        ),
    )
