"""HTML pages -> Article, through trafilatura. The page's meta description is a standfirst candidate."""

from __future__ import annotations

import trafilatura

from digest.domain import Article

from .structure import is_boilerplate, paragraphs_of


def parse_html(html: str, url: str | None = None) -> Article:
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, as_dict=True
    ) or {}
    body = doc.get("text") or ""
    paragraphs = [p for p in paragraphs_of(body.replace("\n", "\n\n")) if not is_boilerplate(p)]
    title = (doc.get("title") or "").strip()
    if not title and paragraphs:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    description = (doc.get("description") or "").strip() or None
    return Article(
        title=title,
        paragraphs=paragraphs,
        url=doc.get("url") or url,
        language=doc.get("language"),
        byline=doc.get("author"),
        standfirst=description if description and description not in body else None,
    )
