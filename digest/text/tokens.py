"""Tokens: the words and punctuation marks of a text, with their offsets, and stretches of capitalised
words. What a rule asks of a token (its lowercase form, whether it is a word, whether it is
capitalised) is computed once, when the text is tokenised.

Where articles and prepositions elide (French l’actrice, Italian dell’acqua), the elided word is a
token of its own, so a rule sees "l’" and "actrice" as it sees "la" and "ministre".
"""

from __future__ import annotations

import re

# an elided article or preposition is a token of its own: l’actrice, d’État, dell’acqua, qu’on
_WORD = r"[^\W_](?:[\w’']*[^\W_])?(?:-[^\W_](?:[\w’']*[^\W_])?)*|[^\w\s]"
TOKEN = re.compile(_WORD)
# where articles elide, the elided article or preposition is a token of its own: l’actrice, dell’acqua
ELIDING_TOKEN = re.compile(
    r"(?i:(?:[cdjlmnst]|qu|dell|nell|all|sull|dall|un|quell)[’'](?=[^\W\d_]))|" + _WORD
)

_UPPER = "A-ZÀ-ÖØ-Þ" + "".join(c for c in map(chr, range(0x100, 0x250)) if c.isupper())
CAP_RUN = re.compile(rf"[{_UPPER}][\w’'-]*(?:\s+(?:[{_UPPER}][\w’'-]*|\w\.))+")
"""Two capitalised words or more in a row (initials count): where a full name can be."""


class Token:
    """A word or a punctuation mark, with what the rules ask of it computed once."""

    __slots__ = ("text", "start", "end", "lower", "is_word", "is_cap")
    text: str
    start: int
    end: int
    lower: str
    is_word: bool
    is_cap: bool
    # made only by tokenize(), which sets the fields without an __init__ call (the hottest loop of trim)


def tokenize(text: str, start: int = 0, end: int | None = None, elides: bool = True) -> list[Token]:
    """Tokens of text[start:end], with offsets into text; `elides`: split elided words off (l’, dell’)."""
    pattern = ELIDING_TOKEN if elides else TOKEN
    found = []
    for m in pattern.finditer(text, start, len(text) if end is None else end):
        tok = _new_token(Token)
        tok.text = word = m.group()
        tok.start, tok.end = m.span()
        tok.lower = word.lower()
        first = word[0]
        tok.is_word, tok.is_cap = first.isalnum(), first.isupper()
        found.append(tok)
    return found


_new_token = object.__new__
