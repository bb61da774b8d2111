"""Local folders of articles: .txt (scraped plain text), .md (optional YAML front matter), .html and .json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from digest.domain import Article
from digest.ingest.html import html_paragraphs, sanitize
from digest.ingest.normalize import parse_date, utc
from digest.ingest.pages import parse_html
from digest.ingest.structure import is_boilerplate, paragraphs_of, parse_plain_text

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json")
MAX_BYTES = 5_000_000


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            meta = yaml.safe_load(text[4:end]) or {}
            if not isinstance(meta, dict):
                raise ValueError("front matter must be a mapping of keys")
            return meta, text[end + 4 :].lstrip("\n")
    return {}, text


def _markdown(text: str) -> Article:
    meta, body = _front_matter(text)
    tokens = MarkdownIt().parse(body)
    title, paragraphs, inside = str(meta.get("title") or ""), [], None
    for tok in tokens:
        if tok.type in ("heading_open", "paragraph_open"):
            inside = tok.tag
        elif tok.type == "inline" and inside:
            plain = "".join(
                c.content for c in (tok.children or []) if c.type in ("text", "code_inline", "softbreak")
            )
            plain = " ".join(plain.replace("\n", " ").split())
            if inside == "h1" and not title:
                title = plain
            elif plain:
                paragraphs.append(plain)
            inside = None
    published = meta.get("published")  # YAML reads a timestamp without an offset as naive: UTC
    return Article(
        title=title,
        paragraphs=paragraphs,
        url=meta.get("url"),
        language=meta.get("language"),
        byline=meta.get("author"),
        standfirst=meta.get("standfirst"),
        published_at=utc(published) if isinstance(published, datetime) else None,
    )


def _json(text: str) -> Article:
    """One article as a JSON object: title, then paragraphs (a list) or text or content_html; optional
    url, id, language, author, standfirst, published (ISO 8601)."""
    doc = json.loads(text)
    if not isinstance(doc, dict):
        raise ValueError("a JSON article must be an object with a title and its text")
    field = {k: v for k, v in doc.items() if isinstance(v, str)}
    paragraphs = doc.get("paragraphs")
    if isinstance(paragraphs, list):
        paragraphs = [" ".join(str(p).split()) for p in paragraphs if str(p).strip()]
    elif field.get("content_html"):
        paragraphs = html_paragraphs(field["content_html"])
    else:
        paragraphs = [p for p in paragraphs_of(field.get("text", "")) if not is_boilerplate(p)]
    return Article(
        title=" ".join(field.get("title", "").split()),
        paragraphs=paragraphs,
        url=field.get("url"),
        guid=field.get("id"),
        language=field.get("language"),
        byline=field.get("author"),
        standfirst=field.get("standfirst"),
        published_at=parse_date(field.get("published")),
        html=sanitize(field.get("content_html")),
    )


def read_article(path: Path) -> Article:
    """Read one article file; raises ValueError with the reason when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise ValueError(f"not an article file (expected one of {', '.join(ARTICLE_SUFFIXES)})")
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 1_000_000} MB")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ValueError("binary file, not text")
    text = raw.decode("utf-8", errors="replace")
    if suffix in (".html", ".htm"):
        article = parse_html(text)
    elif suffix in (".md", ".markdown"):
        article = _markdown(text)
    elif suffix == ".json":
        article = _json(text)
    else:
        article = parse_plain_text(text)
    if not article.title and not article.paragraphs:
        raise ValueError("no article text found")
    return article


def read_folder(folder: Path) -> Iterator[tuple[Path, Article | None, str | None]]:
    """Every article file below a folder, in name order: (path, article, None) or (path, None, reason)."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES):
        try:
            yield path, read_article(path), None
        except (OSError, ValueError, yaml.YAMLError) as exc:
            yield path, None, str(exc)
