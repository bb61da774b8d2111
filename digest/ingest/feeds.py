"""Feeds -> Items: RSS 0.9x, 1.0 and 2.0 and Atom through feedparser, JSON Feed through jsonfeed.py."""

from __future__ import annotations

from calendar import timegm
from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser
from lxml import etree
from lxml import html as lxml_html

from digest.domain import Article
from digest.ingest.item import MAX_ITEMS, SUMMARY_WORDS, Item, fingerprint, title_from
from digest.ingest.normalize import absolute_url, canonical_url, language_code, plain_text, sanitize
from digest.ingest.structure import is_boilerplate

Parsed = tuple[int, Item | None, str | None]  # (position, item, None) or (position, None, reason)


class FeedError(ValueError):
    """The document is not a feed at all; nothing of it can be read."""


def html_paragraphs(fragment: str) -> list[str]:
    """Text of the block elements of an HTML fragment, one paragraph each."""
    if not fragment.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    blocks = root.xpath(".//p|.//li|.//blockquote|.//h2|.//h3|.//h4")
    texts = [" ".join(b.text_content().split()) for b in blocks] or [" ".join(root.text_content().split())]
    return [t for t in texts if t and not is_boilerplate(t)]


def first_image(fragment: str) -> tuple[str | None, str | None]:
    """The src and alt of the first <img> of an HTML fragment."""
    if "<img" not in fragment:
        return None, None
    try:
        img = next(iter(lxml_html.fragment_fromstring(fragment, create_parent="div").iter("img")), None)
    except (etree.ParserError, ValueError):
        return None, None
    return (img.get("src"), img.get("alt")) if img is not None else (None, None)


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
    """Every item of a feed, as (position, item, None) or (position, None, reason); position 0 is about
    the whole feed. Raises FeedError, naming the URL, when the document is not a feed at all."""
    try:
        return list(_parse(data, url, content_type, charset, language))
    except FeedError as exc:
        raise FeedError(f"{exc} (in {url})" if url else str(exc)) from None


def _parse(data: bytes, url: str, content_type: str, charset: str | None, language: str | None) -> Iterator[Parsed]:
    if not data.strip():
        raise FeedError("empty response: no feed document")
    if looks_like_json(data, content_type):
        from digest.ingest.jsonfeed import parse_json_feed

        yield from parse_json_feed(data, url=url, language=language)
        return
    headers = {"content-type": f"{content_type}; charset={charset}" if charset else content_type or "application/xml"}
    # nh3 sanitizes what is kept, and far faster than feedparser's own sanitizer
    feed = feedparser.parse(data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    if not feed.version:
        if "html" in content_type or data.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html")):
            raise FeedError(f"not a feed: an HTML page ({content_type or 'no content type'}) where a feed was expected")
        problem = feed.get("bozo_exception")
        raise FeedError(f"not a feed: no RSS, Atom or JSON Feed document found{f' ({problem})' if problem else ''}")
    if feed.bozo:
        yield 0, None, _bozo_reason(feed.get("bozo_exception"))
    if not feed.entries:
        yield 0, None, "the feed has no items"
    base = feed.feed.get("link") or url
    feed_language = language or language_code(feed.feed.get("language"))
    for position, entry in enumerate(feed.entries, start=1):
        if position > MAX_ITEMS:
            yield position, None, f"the feed has {len(feed.entries)} items; only the first {MAX_ITEMS} were read"
            return
        where = f"{url} item {position}"
        try:
            yield position, _item(entry, where, base, feed_language), None
        except ValueError as exc:
            yield position, None, str(exc)


def _bozo_reason(exc: Exception | None) -> str:
    if isinstance(exc, feedparser.CharacterEncodingOverride | feedparser.CharacterEncodingUnknown):
        return f"wrong or missing charset ({exc}); the text was decoded as well as it could be"
    return f"malformed XML ({exc}); the items that could be read were kept"


def _when(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")  # no feedparser aliasing
    try:
        return datetime.fromtimestamp(timegm(parsed), UTC) if parsed else None
    except (OverflowError, ValueError, TypeError):
        return None


def _image(entry: feedparser.FeedParserDict, content: str) -> tuple[str | None, str | None]:
    for media in (entry.get("media_content") or []) + (entry.get("media_thumbnail") or []):
        if media.get("url") and (media.get("medium") == "image" or "image" in media.get("type", "image")):
            return media["url"], entry.get("media_description") or None
    for enclosure in entry.get("enclosures") or []:
        if enclosure.get("href") and enclosure.get("type", "").startswith("image/"):
            return enclosure["href"], None
    return first_image(content)


def _item(entry: feedparser.FeedParserDict, where: str, base: str, language: str | None) -> Item:
    link = canonical_url(entry.get("link"), base)
    title = plain_text(entry.get("title"))
    raw_content = (entry.get("content") or [{}])[0].get("value") or ""
    raw_summary = entry.get("summary") or ""
    content, summary = sanitize(raw_content) or "", sanitize(raw_summary) or ""
    body = html_paragraphs(content or summary)
    if not title and not body:
        raise ValueError("item has neither a title nor any text")
    guid = entry.get("id") or entry.get("link") or "sha256:" + fingerprint(title, "\n".join(body))
    image_url, image_alt = _image(entry, content or summary)
    article = Article(
        title=title or title_from(body),
        paragraphs=body,
        url=link,
        guid=guid,
        language=language,
        byline=(entry.get("author_detail") or {}).get("name") or entry.get("author"),
        standfirst=" ".join(html_paragraphs(summary)) or None if content else None,
        published_at=_when(entry),
        html=content or summary or None,
    )
    return Item(
        article=article,
        where=where,
        canonical_url=link,
        image_url=absolute_url(image_url, base),
        image_alt=image_alt,
        tags=[t["term"] for t in entry.get("tags") or [] if t.get("term")],
        summary_only=len(" ".join(body).split()) < SUMMARY_WORDS,
        entry_hash=fingerprint(guid, title, raw_content, raw_summary, entry.get("link"), dict.get(entry, "updated")),
    )
