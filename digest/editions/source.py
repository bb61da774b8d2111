"""An item's article beside its brief, as the board's source panel shows it: the article's text in
paragraphs with the lede and each quote the item shows marked where they stand (found as the quote
check finds them: whitespace and quotation marks do not matter), and a passage an editor selects
there, with the speaker trim would give a quotation at that place."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

from digest.domain import Article, Brief
from digest.editions.quotecheck import appears_in, locate
from digest.errors import Invalid
from digest.text.marks import closing_marks, opening_marks
from digest.trim import article_language
from digest.trim.quotes import quotations

LEDE, QUOTE = "lede", "quote"


@dataclass(frozen=True)
class Mark:
    """What a stretch of the article is in the brief: its lede, or a quote (with its speaker)."""

    kind: str  # LEDE or QUOTE
    speaker: str | None = None


@dataclass(frozen=True)
class Piece:
    text: str
    marks: tuple[Mark, ...] = ()  # none: text the brief does not use


@dataclass(frozen=True)
class Source:
    article_id: int
    title: str
    url: str | None
    paragraphs: list[list[Piece]]  # the standfirst (if any), then the article's paragraphs
    unmatched: list[Mark]  # the lede or quotes not word for word in the article (rewritten, paraphrased)


def _blocks(article: Article) -> list[str]:
    return [article.standfirst, *article.paragraphs] if article.standfirst else list(article.paragraphs)


def _starts(blocks: list[str]) -> list[int]:
    """Where each block starts in the blocks joined by blank lines."""
    starts, at = [], 0
    for block in blocks:
        starts.append(at)
        at += len(block) + 2
    return starts


def source_of(article: Article, brief: Brief) -> Source:
    blocks = _blocks(article)
    text = "\n\n".join(blocks)
    wanted = [(brief.lede.rstrip("…"), Mark(LEDE))]  # a lede cut at a word ends with an ellipsis
    wanted += [(q.text, Mark(QUOTE, q.speaker)) for q in brief.quotes]
    found, unmatched = [], []
    for words, mark in wanted:
        span = locate(words, text)
        if span is None:
            unmatched.append(mark)
        else:
            found.append((*span, mark))
    paragraphs = []
    for block, start in zip(blocks, _starts(blocks), strict=True):
        spans = [(*_within(text, max(a, start), min(b, start + len(block))), m) for a, b, m in found]
        spans = [(a, b, m) for a, b, m in spans if a < b]
        cuts = sorted({start, start + len(block), *(x for a, b, _ in spans for x in (a, b))})
        pieces = [
            Piece(text[x:y], tuple(m for a, b, m in spans if a <= x and y <= b)) for x, y in pairwise(cuts)
        ]
        if block.strip():
            paragraphs.append(pieces)
    assert article.id is not None  # a stored article
    return Source(article.id, article.title, article.url, paragraphs, unmatched)


def _within(text: str, a: int, b: int) -> tuple[int, int]:
    """A span's part in one paragraph, without the quotation marks and spaces at its edges (a quotation
    carried into a paragraph opens it with a mark of its own)."""
    while a < b and (text[a].isspace() or text[a] in _marks()):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in _marks()):
        b -= 1
    return a, b


@dataclass(frozen=True)
class Passage:
    """A passage of the article an editor selected, to use as the item's lede or its quote."""

    text: str  # on one line: the lede it makes
    quote: (
        str  # the quote it makes: without the quotation marks around it, or the comma before its attribution
    )
    speaker: str | None  # the speaker trim gives a quotation at its place (None: trim finds none)
    verbatim: bool  # it stands word for word in the article (a quote that does not is flagged)


@cache
def _marks() -> str:
    return "".join(sorted(opening_marks() | closing_marks() | {'"', "'"}))


def _edges() -> str:
    """What a quote's text does not start or end with: quotation marks, spaces, the comma before its attribution."""
    return _marks() + " ,;:"


def passage_in(article: Article, selected: str) -> Passage:
    text = " ".join(selected.split())
    if not text:
        raise Invalid("no passage: select one in the article's text, or paste it")
    quote = text.strip(_edges()) or text
    return Passage(text, quote, speaker_at(article, text), appears_in(quote, article))


def speaker_at(article: Article, passage: str) -> str | None:
    """The speaker trim gives the quotation the passage is part of; for a passage outside every
    quotation, the speaker trim would give it if it were quoted where it stands. None when the passage
    is not in the article's paragraphs (the standfirst has no quotations for trim) or trim finds none."""
    paragraphs = list(article.paragraphs)
    starts = _starts(paragraphs)
    text = "\n\n".join(paragraphs)
    at = locate(passage, text)
    if at is None:
        return None
    language = article_language(article)
    for found in quotations(article, language):
        span = locate(found.quote.text, text, starts[found.paragraph] + found.position)
        if span is not None and span[0] < at[1] and at[0] < span[1]:
            return found.quote.speaker
    pi = max(i for i, start in enumerate(starts) if start <= at[0])
    paragraph, a = paragraphs[pi], at[0] - starts[pi]
    b = min(at[1] - starts[pi], len(paragraph))
    paragraphs[pi] = f"{paragraph[:a]}“{paragraph[a:b]}”{paragraph[b:]}"
    quoted = quotations(replace(article, paragraphs=paragraphs), language)
    return next((f.quote.speaker for f in quoted if (f.paragraph, f.position) == (pi, a)), None)
