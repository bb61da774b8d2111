"""The quote check: a quotation an item shows must appear word for word in its article.

Only whitespace and quotation marks are normalised (any run of spaces and line breaks is one space;
every quotation mark, straight or curly, single or double, in any language's convention, counts
as a space), so a quotation carried over paragraphs still matches, and a word changed, added or
dropped does not. A quotation an editor marked as a deliberate paraphrase is not checked.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from digest.domain import Article, Brief, Quote
from digest.text.marks import closing_marks, opening_marks


@cache
def _marks() -> re.Pattern[str]:
    chars = opening_marks() | closing_marks() | {'"', "'", "‘", "’", "‚", "‛"}
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


@cache
def _words() -> re.Pattern[str]:
    """A run of characters that is neither whitespace nor a quotation mark."""
    return re.compile(r"[^\s" + _marks().pattern[1:] + "+")


def normalise(text: str) -> str:
    return " ".join(_marks().sub(" ", text).split())


def article_text(article: Article) -> str:
    """The text a quote is sought in: the standfirst, then the paragraphs, a blank line between each."""
    return "\n\n".join(p for p in (article.standfirst, article.text) if p)


def locate(quote: str, text: str, start: int = 0) -> tuple[int, int] | None:
    """Where the quotation's words first stand in `text` at or after offset `start`, in order, whole
    words (whitespace and quotation marks normalised as above): its offsets in `text`, from its first
    word's first character to its last word's last, or None."""
    wanted = normalise(quote)
    if not wanted:
        return None
    runs = list(_words().finditer(text))
    at, starts = 0, []  # where each run starts in the normalised text
    for run in runs:
        starts.append(at)
        at += len(run.group()) + 1
    normal = " ".join(run.group() for run in runs)  # normalise(text), with its offsets known
    begin = next((starts[k] for k, run in enumerate(runs) if run.end() > start), len(normal))
    found = re.compile(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)").search(normal, begin)
    if found is None:
        return None

    def original(offset: int) -> int:
        k = bisect_right(starts, offset) - 1
        return runs[k].start() + offset - starts[k]

    return original(found.start()), original(found.end() - 1) + 1


def appears_in(quote: str, article: Article) -> bool:
    """Whether the quotation's words stand in the article's text, in order, whole words."""
    return locate(quote, article_text(article)) is not None


@dataclass(frozen=True)
class Unverified:
    """A quotation of an item (1-based position in the edition) that its article does not hold."""

    position: int
    brief: Brief
    quote: Quote

    def message(self) -> str:
        return (
            f"item {self.position} (“{self.brief.title}”): the quote “{self.quote.text}” does not appear "
            "word for word in its article; fix it or mark it as a deliberate paraphrase"
        )


def unverified(items: list[Brief], articles: dict[int, Article]) -> list[Unverified]:
    """The items' quotations that fail the check, in the edition's order (an item whose article is
    no longer stored cannot be checked, and is not reported here)."""
    failed = []
    for position, brief in enumerate(items, 1):
        article = articles.get(brief.article_id) if brief.article_id is not None else None
        if article is None:
            continue
        failed += [
            Unverified(position, brief, q)
            for q in brief.quotes
            if not q.paraphrase and not appears_in(q.text, article)
        ]
    return failed
