"""HTML pages -> Article, through trafilatura. The page's meta description is a standfirst candidate."""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from digest.domain import Article
from digest.ingest.html import parse_page
from digest.ingest.structure import is_boilerplate
from digest.text.language import detect

# "Headline | Site name", "Headline - Site name": the site's part is short and comes last
_SITE_SUFFIX = re.compile(r"^(?P<title>.{12,}?)\s+(?P<bar>[|–—-])\s+(?P<site>[^|–—]{2,60})$")
SITE_WORDS = 4
_SENTENCE_MARKS = re.compile(r"[!?.,:;]\s*$|[!?]")


def _extract(html: str | HtmlElement, url: str | None, metadata: bool) -> dict[str, Any]:
    import trafilatura  # on demand: a run whose feeds all answer 304 never extracts a page

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=metadata, include_comments=False, include_tables=False, fast=True
    )
    if doc is None:
        return {}
    return doc if isinstance(doc, dict) else doc.as_dict()


def _title(raw: str, site: str | None) -> str:
    """The headline without the site's name after it: "Headline | Site", or "Headline - Site" where
    the part after the dash is the site the page names or looks like a name (a few capitalised words,
    no sentence's punctuation); "Bundesliga: Dortmund - Gladbach live sehen!" keeps its subtitle."""
    title = " ".join(raw.split())
    m = _SITE_SUFFIX.match(title)
    if m is None:
        return title
    suffix = m.group("site")
    words = suffix.split()
    named = (
        site is not None
        and _squash(site) != ""
        and (_squash(site) in _squash(suffix) or _squash(suffix) in _squash(site))
    )
    name_like = (
        len(words) <= SITE_WORDS
        and not _SENTENCE_MARKS.search(suffix)
        and all(w[:1].isupper() or not w[:1].isalpha() or "." in w for w in words)
    )
    short_bar = m.group("bar") == "|" and len(words) <= SITE_WORDS
    return m.group("title") if named or name_like or short_bar else title


def _squash(name: str) -> str:
    """A site's name for comparing: letters and digits, lowercase (Spiegel Online, spiegel.de)."""
    return "".join(ch for ch in name.lower().split(".")[0] if ch.isalnum())


def _page_title(root: HtmlElement | None) -> str:
    """The title the page gives itself, whole (og:title, else <title>): trafilatura's cuts it at the
    first dash, subtitle and all."""
    if root is None:
        return ""
    for el in root.iter("meta"):
        if (el.get("property") or el.get("name") or "").lower() == "og:title" and el.get("content"):
            return str(el.get("content"))
    found = next(iter(root.iter("title")), None)
    return found.text_content() if found is not None else ""


def parse_html(html: str | HtmlElement, url: str | None = None, *, title: str | None = None) -> Article:
    """The article of a page (its text, or its tree parsed once by the caller). A caller that knows
    the title already (a feed item's, whose page is fetched for its full text) passes it: the page's
    metadata is then not read, which halves the extraction's cost; byline and standfirst stay empty."""
    root = parse_page(html) if isinstance(html, str) else html
    doc = _extract(root if root is not None else html, url, metadata=title is None)
    body = doc.get("text") or ""
    if title is None:
        raw = _page_title(root) or doc.get("title") or ""
        title = _title(raw, doc.get("sitename"))
    title = " ".join(title.split())
    paragraphs = [" ".join(p.split()) for p in body.splitlines() if p.strip()]
    paragraphs = [p for p in paragraphs if not is_boilerplate(p)]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline, repeated as the first line of the text
    if not title and paragraphs:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    description = " ".join((doc.get("description") or "").split()) or None
    language = (doc.get("language") or "").split("-")[0].lower() or detect(" ".join(paragraphs[:8]))
    return Article(
        title=title,
        paragraphs=paragraphs,
        url=doc.get("url") or url,
        language=language or None,
        byline=doc.get("author"),
        standfirst=description if description and description not in body else None,
    )
