"""HTML pages -> Article, through trafilatura. The page's meta description is a standfirst candidate."""

from __future__ import annotations

import re
from typing import Any

import trafilatura

from digest.domain import Article
from digest.ingest.structure import is_boilerplate
from digest.text.language import detect

# "Headline | Site name", "Headline - Site name": the site's part is short and comes last
_SITE_SUFFIX = re.compile(r"^(?P<title>.{12,}?)\s+[|–—-]\s+(?P<site>[^|–—]{2,60})$")


def _extract(html: str, url: str | None, metadata: bool) -> dict[str, Any]:
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=metadata, include_comments=False, include_tables=False, fast=True
    )
    if doc is None:
        return {}
    return doc if isinstance(doc, dict) else doc.as_dict()


def _title(raw: str, site: str | None) -> str:
    title = " ".join(raw.split())
    m = _SITE_SUFFIX.match(title)
    if m and (not site or site.lower() in m.group("site").lower() or len(m.group("site").split()) <= 4):
        return m.group("title")
    return title


def parse_html(html: str, url: str | None = None, *, title: str | None = None) -> Article:
    """The article of a page. A caller that knows the title already (a feed item's, whose page is
    fetched for its full text) passes it: the page's metadata is then not read, which halves the
    extraction's cost; byline and standfirst stay empty."""
    doc = _extract(html, url, metadata=title is None)
    body = doc.get("text") or ""
    title = (
        " ".join(title.split()) if title is not None else _title(doc.get("title") or "", doc.get("sitename"))
    )
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
