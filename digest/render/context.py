"""What the templates see: plain values built from the domain types, links made absolute https."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from digest.domain import Brief, Image, Quote
from digest.render.catalog import Catalog

PREHEADER_CHARS = 140
CONTENT_WIDTH = 552  # the 600 px body less the text's padding (24 px each side): an image's widest


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


def https_only(url: str | None) -> str | None:
    """An absolute https URL as it is, or None. An image is never upgraded from http (its host may
    not serve https, and a broken image is worse than none) nor inlined (data: counts against the
    size budget, a remote image only for its tag)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return urlunsplit(parts) if parts.scheme.lower() == "https" and parts.hostname else None


@dataclass(frozen=True)
class Picture:
    """A lead image as the mail shows it: `width` fits the 600 px layout (a phone scales it down to
    its own width, keeping the ratio: the template sets max-width 100% and height auto); `height`
    when the ratio is known, so the client keeps its room before it loads."""

    src: str
    alt: str
    width: int
    height: int | None
    caption: str | None


def picture(image: Image | None, caption: str | None) -> Picture | None:
    src = https_only(image.url) if image else None
    if image is None or src is None:
        return None
    width = min(image.width or CONTENT_WIDTH, CONTENT_WIDTH)
    height = round(image.height * width / image.width) if image.width and image.height else None
    alt = " ".join((image.alt or caption or "").split())  # alt="" tells a reader there is nothing to read
    return Picture(src, alt, width, height, caption)


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
    image: Picture | None  # the lead image, with its caption; None when the list shows no images


def item_view(brief: Brief, catalog: Catalog, images: bool = False) -> Item:
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
        image=picture(brief.image, brief.caption) if images else None,
    )
