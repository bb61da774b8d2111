"""`digest trim`: article files trimmed into ledes and key quotes, without a database.

A path is an article file (.txt, .md, .html, .json) or a folder of them (read recursively, in name
order). Each file gives a Trimmed, or an Unreadable with the reason, in input order: a file that
cannot be read never stops the others. Trimmed.record() is the contract of `digest trim --json` (README, "digest trim --json"): the article's
structure as ingest found it beside what trim made of it:
    {"source", "title", "language", "byline", "standfirst", "caption", "dateline", "paragraphs",
     "lede", "quotes": [{"text", "speaker", "cue", "confidence"}]}
"paragraphs" are the body paragraphs kept (boilerplate dropped), without the standfirst.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from digest.domain import Article, Brief, Quote
from digest.ingest.folder import ARTICLE_SUFFIXES, read_article
from digest.trim import trim
from digest.trim.quotes import Found, key_found, quotations


@dataclass(frozen=True)
class Trimmed:
    path: Path
    article: Article
    brief: Brief
    found: list[Found]  # the key quotes, or every quotation in order (all_quotes)

    @property
    def quotes(self) -> list[Quote]:
        return [f.quote for f in self.found]

    def record(self) -> dict[str, Any]:
        brief, article = self.brief, self.article
        return {
            "source": str(self.path),
            "title": brief.title,
            "language": brief.language,
            "byline": brief.byline,
            "standfirst": article.standfirst,
            "caption": brief.caption,
            "dateline": article.dateline,
            "paragraphs": article.paragraphs,
            "lede": brief.lede,
            "quotes": [
                {
                    "text": f.quote.text,
                    "speaker": f.quote.speaker,
                    "cue": f.quote.cue,
                    "confidence": round(f.confidence, 2),
                }
                for f in self.found
            ],
        }


@dataclass(frozen=True)
class Unreadable:
    path: Path
    reason: str  # on one line


def article_files(paths: list[Path]) -> list[Path]:
    """The files named, and the article files inside the folders named, in that order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            )
        else:
            files.append(path)
    return files


def trim_files(
    paths: list[Path],
    *,
    lede_words: int,
    max_quotes: int,
    all_quotes: bool = False,
    language: str | None = None,
) -> Iterator[Trimmed | Unreadable]:
    """Each article file of the paths trimmed, in order; `language` forces the articles' language."""
    for path in article_files(paths):
        try:
            yield _trim_file(path, lede_words, max_quotes, all_quotes, language)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            yield Unreadable(path, " ".join(str(exc).split()))


def _trim_file(
    path: Path, lede_words: int, max_quotes: int, all_quotes: bool, language: str | None
) -> Trimmed:
    article = read_article(path)
    if language:
        article.language = language.lower()
    brief = trim(article, lede_words=lede_words, max_quotes=max_quotes)
    every = quotations(article, brief.language)
    found = every if all_quotes else key_found(article, max_quotes, lede=brief.lede, found=every)
    return Trimmed(path, article, brief, found)
