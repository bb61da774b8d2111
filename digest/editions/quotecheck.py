"""The quote check: a quotation an item shows must appear word for word in its article.

Only whitespace and quotation marks are normalised (any run of spaces and line breaks is one space;
every quotation mark, straight or curly, single or double, in any language's convention, counts
as a space), so a quotation carried over paragraphs still matches, and a word changed, added or
dropped does not. A quotation an editor marked as a deliberate paraphrase is not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from digest.domain import Article, Brief, Quote
from digest.text.marks import closing_marks, opening_marks


@cache
def _marks() -> re.Pattern[str]:
    chars = opening_marks() | closing_marks() | {'"', "'", "‘", "’", "‚", "‛"}
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


def normalise(text: str) -> str:
    return " ".join(_marks().sub(" ", text).split())


def appears_in(quote: str, article: Article) -> bool:
    """Whether the quotation's words stand in the article's text, in order, whole words."""
    wanted = normalise(quote)
    if not wanted:
        return False
    text = normalise("\n\n".join(p for p in (article.standfirst, article.text) if p))
    return re.search(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)", text) is not None


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
            Unverified(position, brief, q) for q in brief.quotes if not q.paraphrase and not appears_in(q.text, article)
        ]
    return failed
