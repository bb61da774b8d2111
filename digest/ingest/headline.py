"""Where an article sits in a scraped page's text: its headline, and where it ends.

A whole page's text opens with navigation, menus, cookie banners and tickers, and goes on after the
article with related lists, share rows, comment forms and footers. The signals are structural and
hold in every language: a headline is a short block without a final full stop, close before the
first paragraphs of running text, whose words come back in them (the headline's echo); it is not a
date, a byline or a credit. The article ends at a block that opens what follows articles (each
language's `article_end` headings: "Related articles", "Kommentare", "À lire aussi") once its text
has begun.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from digest.text.lang import languages

BODY_WORDS = 18  # a block of running text: this many words and a sentence's end
ECHO_BLOCKS = 6  # the headline's words are looked for in this many blocks after it
REACH = 10  # a headline stands at most this many blocks before running text
HEAD_WORDS = (2, 30)
DENSE_GAP = 2
ECHO_SURE, SCORE_SURE = 0.5, 1.2
CONTINUED = 3  # this many blocks of running text in a row after a heading: the article goes on
_SENTENCE_END = re.compile(r"[.!?…:][\"'”“»«’)\]]*$")
_FULL_STOP = re.compile(r"(?<![A-Z.])\.[\"'”»’)]*$")
_WORD = re.compile(r"[^\W\d_]{4,}")
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}\s*(?:am|pm)\b", re.I)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\b(?:19|20)\d{2}\b")


@cache
def _stopwords() -> frozenset[str]:
    return frozenset().union(*(lang.stopwords for lang in languages().values()))


@cache
def _month_words() -> frozenset[str]:
    return frozenset().union(*(lang.months | lang.weekdays for lang in languages().values()))


@cache
def _relative_time() -> re.Pattern[str]:
    """ "1 day ago", "vor 2 Stunden", "il y a 3 heures": every language's relative times."""
    return re.compile(
        "|".join(f"(?:{p})" for lang in languages().values() for p in lang.relative_time) or "(?!)", re.I
    )


@cache
def _end_heading() -> re.Pattern[str]:
    phrases = [p for lang in languages().values() for p in lang.article_end]
    return re.compile(r"\s*(?:" + "|".join(f"(?:{p})" for p in phrases) + r")\s*[:.…»›>]*\s*$", re.I)


def is_running_text(block: str) -> bool:
    return len(block.split()) >= BODY_WORDS and _SENTENCE_END.search(block) is not None


def is_dateish(block: str) -> bool:
    """A date, a time or "1 day ago", maybe with a few words around it ("Posted Nov 18, 8:19 PM")."""
    words = block.split()
    if _relative_time().search(block) and len(words) <= 10:
        return True
    if _TIME.search(block) and len(words) <= 14:
        return True
    dated = _NUMERIC_DATE.search(block) is not None or any(
        w.lower().strip(".,") in _month_words() for w in words
    )
    return dated and len(words) <= 8 and sum(ch.isdigit() for ch in block) >= 2


def is_end_heading(block: str) -> bool:
    return len(block.split()) <= 8 and _end_heading().match(block) is not None


def _content(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _stopwords()}


def find_headline(blocks: list[str], excluded: Callable[[str], bool]) -> int | None:
    """The index of the headline among blocks, or None when no block looks like one.

    `excluded` tells the blocks that cannot be a headline (a byline, a credit, boilerplate)."""
    running = [i for i, b in enumerate(blocks) if is_running_text(b)]
    if not running:
        return None
    dense = _first_dense(blocks, running)
    best, best_score = None, 0.0
    r = 0
    for i, block in enumerate(blocks[: dense + 1]):
        while r < len(running) and running[r] <= i:
            r += 1
        if r == len(running):
            break
        gap = running[r] - i
        words = block.split()
        if gap > REACH or not HEAD_WORDS[0] <= len(words) <= HEAD_WORDS[1]:
            continue
        if is_running_text(block) or is_dateish(block) or is_end_heading(block) or excluded(block):
            continue
        own = _content(block)
        if not own:
            continue
        after = set().union(*(_content(b) for b in blocks[i + 1 : i + 1 + ECHO_BLOCKS]))
        echo = len(own & after) / len(own)
        score = 2.0 * echo + 1.0 / gap
        if _FULL_STOP.search(block):
            score -= 0.6 + 0.05 * len(words)  # a sentence: a standfirst or a caption, seldom a headline
        if len(words) == 2:
            score -= 0.3
        if echo >= ECHO_SURE and score >= SCORE_SURE:
            return i  # the first block the text goes on to tell: the headline, not a subheading below it
        if score > best_score:
            best, best_score = i, score
    return best


def _first_dense(blocks: list[str], running: list[int]) -> int:
    """Where the article's text begins: the first block of running text followed by more within
    DENSE_GAP blocks (a cookie banner or a teaser stands alone); the first running text if none is."""
    for a, b in zip(running, running[1:], strict=False):
        if b - a <= DENSE_GAP:
            return a
    return running[0]


def article_end(blocks: list[str], start: int) -> int:
    """The index past the article's last block: the first heading of what follows articles after
    running text began and before no more paragraphs of it (an inline "Related articles" box is
    not the end), else the end."""
    running = [is_running_text(b) for b in blocks]
    goes_on = [False] * (len(blocks) + 1)  # CONTINUED blocks of running text in a row from here on
    streak = 0
    for i in range(len(blocks) - 1, -1, -1):
        streak = streak + 1 if running[i] else 0
        goes_on[i] = goes_on[i + 1] or streak >= CONTINUED
    began = False
    for i in range(start, len(blocks)):
        if began and is_end_heading(blocks[i]) and not goes_on[i + 1]:
            return i
        began = began or running[i]
    return len(blocks)
