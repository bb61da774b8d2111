"""Quotation marks: pair them into spans, in one pass over a paragraph, in every convention.

The same character opens in one convention and closes in another (“ opens in English and closes
German „…“; » opens German »…« and closes French «…»), so a mark's role depends on what is open.
A closer that matches nothing open is ignored; an opener never closed is dropped at the end of the
paragraph, except the last one, which may be a quotation continued in the next paragraph. Every
character is looked at once and the stack of open marks is bounded, so the time is linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from digest.text.lang import languages

MAX_DEPTH = 6

# Chinese and Japanese corner brackets: no language module of ours uses them, but quotations of
# speakers of those languages arrive with them; and mixed marks, a straight mark opening and a curly
# one closing or the other way round ("…” and “…"), as edited copy often has them
_EXTRA_PAIRS = (("「", "」"), ("『", "』"), ('"', "”"), ("“", '"'))


@cache
def _closers() -> dict[str, str]:
    """Opening mark -> the marks that close it, from every language module's quotation marks."""
    table: dict[str, str] = {}
    for opener, closer in (*_EXTRA_PAIRS, *(p for lang in languages().values() for p in lang.quote_pairs)):
        if closer not in table.get(opener, ""):
            table[opener] = table.get(opener, "") + closer
    return table


@cache
def opening_marks() -> frozenset[str]:
    return frozenset(_closers())


@cache
def closing_marks() -> frozenset[str]:
    return frozenset("".join(_closers().values()))


@cache
def _marks() -> re.Pattern[str]:
    chars = {c for opener, closers in _closers().items() for c in opener + closers}
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


_OPENING_CONTEXT = set(" \t\n([{—–-/:;,")


@dataclass(frozen=True)
class Span:
    """A quotation: start and end include its marks; the text is [start + 1, end - 1)."""

    start: int
    end: int


@dataclass(frozen=True)
class Marks:
    spans: list[Span]
    """Outermost quotations, in order."""
    dangling: int | None
    """Where a quotation opens that is still open at the end of the paragraph, if one is."""


def _can_open(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _OPENING_CONTEXT or before in _closers()) and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


@lru_cache(maxsize=512)
def scan(text: str) -> Marks:
    """Pairs of quotation marks in a paragraph (cached: the sentence splitter and the quotation
    finder both ask for the same paragraphs)."""
    closers = _closers()
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for m in _marks().finditer(text):
        ch, i = m.group(), m.start()
        top = stack[-1][0] if stack else None
        if ch in ("’", "'") and i + 1 < len(text) and text[i + 1].isalpha() and i and text[i - 1].isalpha():
            continue  # an apostrophe inside a word: l’Ukraine, don't
        if top is not None and ch in closers[top] and (ch not in "\"'’" or _can_close(text, i)):
            pairs.append((stack.pop()[1], i + 1))
            continue
        depth = next((d for d in range(len(stack) - 1, -1, -1) if ch in closers[stack[d][0]]), None)
        if depth is not None and ch not in "\"'’“»«›‹":
            # closes something further down: whatever opened since was a stray mark
            pairs.append((stack[depth][1], i + 1))
            del stack[depth:]
            continue
        if ch in closers and len(stack) < MAX_DEPTH:
            if ch in "\"'‘" and not _can_open(text, i):
                continue
            stack.append((ch, i))
    spans: list[Span] = []
    reach = -1
    for start, end in sorted(pairs):
        if start >= reach:
            spans.append(Span(start, end))
            reach = end
    dangling = next((i for _, i in stack if i >= reach), None)
    return Marks(spans, dangling)


def opens_with_quote(text: str) -> bool:
    """Whether a paragraph starts with an opening quotation mark (a continued quotation does)."""
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in _closers() and stripped[0] not in "'’"
