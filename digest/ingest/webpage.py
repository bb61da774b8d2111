"""Article pages: a `page` source's single URL, and the full text of feed items that carry only a summary.
The article is extracted by pages.parse_html (trafilatura); the page's own metadata adds the canonical
URL, the lead image and the publication time."""

from __future__ import annotations

from digest.domain import Article
from digest.ingest.entries import fingerprint
from digest.ingest.fetch import Fetched
from digest.ingest.html import PageMeta, decode_html, fill_image, page_meta, parse_page
from digest.ingest.normalize import canonical_url, is_article_url
from digest.ingest.pages import parse_html

HTML_TYPES = ("text/html", "application/xhtml+xml", "")


class PageError(ValueError):
    """A page that holds no readable article."""


def read_page(fetched: Fetched, title: str | None = None) -> tuple[Article, PageMeta]:
    if fetched.content_type not in HTML_TYPES:
        raise PageError(f"{fetched.url}: not an HTML page ({fetched.content_type})")
    html = decode_html(fetched.content, fetched.charset)
    root = parse_page(html)  # parsed once: its metadata read here, its article by trafilatura
    meta = page_meta(root, fetched.url)
    article = parse_html(root if root is not None else html, fetched.url, title=title)
    if article.paragraphs and _same(article.paragraphs[0], article.title):
        article.paragraphs = article.paragraphs[1:]  # the headline, repeated as the first block
    if not article.paragraphs:
        raise PageError(f"{fetched.url}: no article text found on the page")
    return article, meta


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def page_article(fetched: Fetched, language: str | None) -> Article:
    """A `page` source: the article at one URL, keyed by its canonical URL."""
    article, meta = read_page(fetched)
    url = meta.canonical or canonical_url(fetched.url)
    article.url = article.guid = url
    article.canonical_url = url if is_article_url(url) else None
    article.language = language or meta.language or article.language
    article.byline = article.byline or meta.author
    article.caption = article.caption or meta.caption
    article.image = meta.image
    article.published_at = meta.published_at
    article.entry_hash = fingerprint(fetched.etag, fetched.last_modified, article.title, article.text)
    return article


def add_full_text(ours: Article, fetched: Fetched) -> None:
    """Replace a feed item's summary by the article on its page; the summary becomes the standfirst.
    What the feed said wins over what the page says, except the text."""
    article, meta = read_page(fetched, title=ours.title or None)
    if len(article.text.split()) <= len(ours.text.split()):
        raise PageError(f"{fetched.url}: the page holds no more text than the feed's summary (a paywall?)")
    if ours.paragraphs and not ours.standfirst:
        ours.standfirst = " ".join(ours.paragraphs)
    ours.paragraphs = article.paragraphs
    ours.html = None  # the feed's HTML was the summary's
    ours.title = ours.title or article.title
    ours.byline = ours.byline or article.byline or meta.author
    ours.caption = ours.caption or meta.caption
    ours.language = ours.language or meta.language or article.language
    ours.published_at = ours.published_at or meta.published_at
    ours.canonical_url = meta.canonical or ours.canonical_url
    ours.url = ours.canonical_url or ours.url
    ours.image = fill_image(ours.image, meta.image) if ours.image else meta.image
