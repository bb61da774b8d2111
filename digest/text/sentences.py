"""Sentence splitting that holds on abbreviations, initials, ordinals and quotations.

A boundary is end punctuation, optional closing marks, space, then something that can start a
sentence: a capital or a digit (so not „…“ erklärte sie, nor Benedikt XVI. „ist …“). It is not a
boundary after a known abbreviation of the language (Dr., Nov., M., Sr., Okt.), after a single
capital (initials: J. K. Rowling), after a number followed by a month (3. Okt., 13. November), or
inside a quotation (a quoted passage with several sentences stays whole with its attribution).
"""

from __future__ import annotations

import re
from functools import cache

from digest.text.lang import Language, languages
from digest.text.marks import scan

_BOUNDARY = re.compile(
    r"[.!?…]+(?:[\"'”“»«’‘)\]]|[\u00a0\u202f ][»”])*(\s+)(?=[\"'“„«»‘‚(\[¿¡]?[\u00a0\u202f ]?[^\W_])"
)
_LETTERS = re.compile(r"[^\W\d_]+")
_FIRST_ALNUM = re.compile(r"[^\W_]")
LAST_WORD_CHARS = 40  # the word before a period is looked for this far back, so the time stays linear
_LAST_WORD = re.compile(r"([^\s(\[\"'“„«»‘‚]+)$")


@cache
def _abbreviations(code: str | None) -> frozenset[str]:
    lang = languages().get(code or "")
    if lang is not None:
        return lang.abbreviations | lang.honorifics
    return frozenset().union(*(lang.abbreviations | lang.honorifics for lang in languages().values()))


@cache
def _months(code: str | None) -> frozenset[str]:
    lang: Language | None = languages().get(code or "")
    if lang is not None:
        return lang.months
    return frozenset().union(*(lang.months for lang in languages().values()))


def _is_boundary(
    text: str, stop: int, resume: int, abbreviations: frozenset[str], months: frozenset[str]
) -> bool:
    """stop: where the end punctuation starts; resume: where the next sentence would start."""
    first = _FIRST_ALNUM.search(text, resume, resume + 4)
    if first is not None and first.group().islower():
        return False  # sentences start with a capital or a digit: „…“ erklärte sie; Benedikt XVI. „ist …“
    if text[stop] != ".":
        return True
    word = _LAST_WORD.search(text, max(0, stop - LAST_WORD_CHARS), stop)
    last = word.group(1) if word else ""
    if not last:
        return True
    if last.lower() in abbreviations:
        return False
    if len(last) == 1 and last.isalpha() and last.isupper():
        return False  # an initial
    if "." in last and all(len(part) <= 2 for part in last.split(".")):
        return False  # U.S., z.B., e.g. written with inner periods
    if last.isdigit():
        following = _LETTERS.match(text, resume, resume + 20)
        if following and following.group().lower().rstrip(".") in months:
            return False
    return True


def sentence_spans(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """[start, end) of each sentence in a paragraph."""
    abbreviations, months = _abbreviations(language), _months(language)
    quotes = scan(text).spans
    q = 0
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        cut = m.start(1)
        while q < len(quotes) and quotes[q].end <= cut:
            q += 1
        if q < len(quotes) and quotes[q].start < cut:
            continue  # inside a quotation
        if _is_boundary(text, m.start(), m.end(), abbreviations, months):
            spans.append((start, cut))
            start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def split_sentences(text: str, language: str | None = None) -> list[str]:
    return [text[a:b].strip() for a, b in sentence_spans(text, language)]
