"""`digest trim`: trim article files into ledes and quotes, as text or JSON lines.

    digest trim PATH... [--json] [--lede-words N] [--max-quotes K] [--all-quotes] [--language xx]

A PATH is an article file (.txt, .md, .html) or a folder of them (read recursively, in name order).
With --json each article is one JSON object on its own line, in input order:
    {"source", "title", "language", "lede", "byline", "caption", "quotes": [{"text", "speaker", "cue"}]}
A file that cannot be read is reported on stderr with its reason and the others go on; the exit
status is then 1.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from digest.domain import Article, Brief, Quote
from digest.ingest.folder import ARTICLE_SUFFIXES, read_article
from digest.trim import trim
from digest.trim.quotes import quotations


def expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            )
        else:
            files.append(path)
    return files


def _record(path: Path, brief: Brief, quotes: list[Quote]) -> dict[str, Any]:
    return {
        "source": str(path),
        "title": brief.title,
        "language": brief.language,
        "lede": brief.lede,
        "byline": brief.byline,
        "caption": brief.caption,
        "quotes": [asdict(q) for q in quotes],
    }


def _summary(path: Path, brief: Brief, quotes: list[Quote]) -> str:
    lines = [str(path), f"  {brief.title} [{brief.language or '?'}]", f"  {brief.lede}"]
    lines += [f"  « {q.text} » — {q.speaker or 'unattributed'}" for q in quotes]
    return "\n".join(lines) + "\n"


def trim_file(
    path: Path, *, lede_words: int, max_quotes: int, all_quotes: bool, language: str | None
) -> tuple[Brief, list[Quote]]:
    article: Article = read_article(path)
    if language:
        article.language = language.lower()
    brief = trim(article, lede_words=lede_words, max_quotes=max_quotes)
    quotes = [f.quote for f in quotations(article, brief.language)] if all_quotes else brief.quotes
    return brief, quotes


def run(
    paths: list[Path],
    *,
    as_json: bool,
    lede_words: int,
    max_quotes: int,
    all_quotes: bool,
    language: str | None,
) -> int:
    failures = 0
    for path in expand(paths):
        try:
            brief, quotes = trim_file(
                path, lede_words=lede_words, max_quotes=max_quotes, all_quotes=all_quotes, language=language
            )
        except (OSError, ValueError, yaml.YAMLError) as exc:
            reason = " ".join(str(exc).split())
            print(f"{path}: {reason}", file=sys.stderr)
            failures += 1
            continue
        if as_json:
            print(json.dumps(_record(path, brief, quotes), ensure_ascii=False), flush=False)
        else:
            print(_summary(path, brief, quotes))
    sys.stdout.flush()
    return 1 if failures else 0
