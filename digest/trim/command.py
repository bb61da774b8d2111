"""`digest trim`: trim article files into ledes and quotes, as text or JSON lines.

First version; the trim issue owns this contract:
  digest trim PATH... [--json] [--lede-words N] [--max-quotes K] [--all-quotes] [--language xx]
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from digest.ingest.folder import ARTICLE_SUFFIXES, read_article

from . import trim
from .quotes import find_quotes


def expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES))
        else:
            files.append(path)
    return files


def run(
    paths: list[Path], *, as_json: bool, lede_words: int, max_quotes: int, all_quotes: bool, language: str | None
) -> int:
    failures = 0
    for path in expand(paths):
        try:
            article = read_article(path)
        except (OSError, ValueError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            failures += 1
            continue
        if language:
            article.language = language
        brief = trim(article, lede_words=lede_words, max_quotes=max_quotes)
        quotes = find_quotes(article) if all_quotes else brief.quotes
        if as_json:
            record = {
                "source": str(path),
                "title": brief.title,
                "language": brief.language,
                "lede": brief.lede,
                "byline": brief.byline,
                "caption": brief.caption,
                "quotes": [asdict(q) for q in quotes],
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"{path}\n  {brief.title} [{brief.language or '?'}]\n  {brief.lede}")
            for q in quotes:
                print(f"  « {q.text} » — {q.speaker or 'unattributed'}")
            print()
    return 1 if failures else 0
