"""What the templates see: plain values built from the domain types, links made absolute https."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from digest.domain import Brief, Quote
from digest.render.catalog import Catalog

PREHEADER_CHARS = 140


def https_url(url: str | None) -> str | None:
    """An absolute https URL, or None: mail carries no relative, script or plain-http links.

    Plain http is upgraded, as browsers now do; anything else (javascript:, mailto:, relative)
    is dropped and the title shows without a link.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # such as a broken IPv6 host
        return None
    if parts.scheme.lower() == "http":
        parts = parts._replace(scheme="https")
    if parts.scheme.lower() != "https" or not parts.hostname:
        return None
    return urlunsplit(parts)


def preheader(text: str) -> str:
    """Plain text for the inbox preview line, cut on a word boundary."""
    words = " ".join(text.split())
    if len(words) <= PREHEADER_CHARS:
        return words
    return words[:PREHEADER_CHARS].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class Link:
    label: str
    url: str | None


@dataclass(frozen=True)
class Item:
    title: str
    url: str | None
    source: str
    language: str | None  # set when it differs from the list's, so screen readers switch voice
    byline: str | None
    reading_time: str | None
    lede: str
    quotes: list[Quote]
    also: list[Link]


def item_view(brief: Brief, catalog: Catalog) -> Item:
    return Item(
        title=brief.title,
        url=https_url(brief.url),
        source=brief.source,
        language=brief.language if brief.language != catalog.language else None,
        byline=brief.byline,
        reading_time=catalog.reading_time(brief.words) if brief.words else None,
        lede=brief.lede,
        quotes=list(brief.quotes),
        also=[Link(c.source, https_url(c.url)) for c in brief.also],
    )
