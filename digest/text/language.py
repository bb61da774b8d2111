"""Language identification from the function words each language module lists.

Counting stopwords is crude but fast (a dictionary lookup per word) and reliable on a paragraph or
more of news text, which is all the trimmer needs: an article's language and whether a caption or
credit paragraph is in another one.
"""

from __future__ import annotations

import re
from functools import cache

from digest.text.lang import languages

_WORD = re.compile(r"[^\W\d_]+")
SAMPLE_CHARS = 1000  # a paragraph or two: plenty for news text, and the cost stays flat
MIN_HITS = 2


@cache
def _profiles() -> dict[str, tuple[tuple[str, ...], float]]:
    """Each stopword -> the languages that list it and its share (a word shared by several counts
    for each, for less)."""
    index: dict[str, list[str]] = {}
    for code, lang in languages().items():
        for word in lang.stopwords:
            index.setdefault(word, []).append(code)
    return {word: (tuple(codes), 1.0 / len(codes)) for word, codes in index.items()}


def scores(text: str) -> dict[str, float]:
    """Stopword hits per language in the first SAMPLE_CHARS of text; shared words count for less."""
    index = _profiles()
    counts: dict[str, float] = {}
    for hit in map(index.get, _WORD.findall(text[:SAMPLE_CHARS].lower())):
        if hit:
            codes, share = hit
            for code in codes:
                counts[code] = counts.get(code, 0.0) + share
    return counts


def detect(text: str) -> str | None:
    """The language code of text, or None when there is too little text to tell."""
    counts = scores(text)
    if not counts:
        return None
    code, best = max(counts.items(), key=lambda item: item[1])
    return code if best >= MIN_HITS else None
