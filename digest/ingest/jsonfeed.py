"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) -> Articles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from digest.domain import Article
from digest.ingest.entries import MAX_ITEMS, FeedError, Parsed, entry_article, fingerprint
from digest.ingest.html import first_image, html_paragraphs, image, plain_text, sanitize
from digest.ingest.normalize import canonical_url, language_code, parse_date
from digest.ingest.structure import paragraphs_of


def parse_json_feed(data: bytes, *, url: str = "", language: str | None = None) -> Iterator[Parsed]:
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"not readable JSON ({exc})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedError("JSON, but not a JSON Feed (no https://jsonfeed.org/version/ in `version`)")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed without an `items` list")
    if not items:
        yield 0, None, "the feed has no items"
    base = doc.get("home_page_url") or url
    feed_language = language or language_code(_text(doc.get("language")))
    for position, entry in enumerate(items, start=1):
        if position > MAX_ITEMS:
            yield position, None, f"the feed has {len(items)} items; only the first {MAX_ITEMS} were read"
            return
        if not isinstance(entry, dict):
            yield position, None, "item is not a JSON object"
            continue
        try:
            yield position, _article(entry, base, feed_language), None
        except ValueError as exc:
            yield position, None, str(exc)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _author(entry: dict[str, Any]) -> str | None:
    authors = entry.get("authors") or ([entry["author"]] if isinstance(entry.get("author"), dict) else [])
    names = [a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
    return ", ".join(names) or None


def _article(entry: dict[str, Any], base: str, language: str | None) -> Article:
    html = sanitize(_text(entry.get("content_html"))) or ""
    text, summary = _text(entry.get("content_text")), _text(entry.get("summary"))
    title = plain_text(_text(entry.get("title")))
    body = html_paragraphs(html) if html else paragraphs_of(text or summary)
    link = canonical_url(_text(entry.get("url")) or _text(entry.get("external_url")), base)
    named = _text(entry.get("image")) or _text(entry.get("banner_image"))  # JSON Feed gives no size or alt
    return entry_article(
        title,
        body,
        link,
        str(entry.get("id") or "") or link,
        language=language or language_code(_text(entry.get("language"))),
        byline=_author(entry),
        standfirst=summary.strip() or None if (html or text) else None,
        published_at=parse_date(_text(entry.get("date_published")) or _text(entry.get("date_modified"))),
        html=html or None,
        image=image(named, base) if named else first_image(html, base) if html else None,
        tags=[t for t in entry.get("tags") or [] if isinstance(t, str)],
        entry_hash=fingerprint(json.dumps(entry, sort_keys=True, default=str)),
    )
