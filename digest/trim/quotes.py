"""Direct quotations and their speakers. First version: guillemets and curly/straight double quotes."""

from __future__ import annotations

import re

from digest.domain import Article, Quote

_QUOTE = re.compile(r"«\s*([^»]+?)\s*»|“([^”]+)”|\"([^\"]+)\"|„([^“]+)“")
_CUE_AFTER = re.compile(
    r"^[\s,]*(?:a-t-il|a-t-elle)?\s*(?:said|says|told|added|a déclaré|déclare|sagte|erklärte|dijo|afirmó|ha detto)"
    r"\s+((?:[A-ZÀ-Ö][\w’'-]+\s?){1,3})"
)
MIN_WORDS = 4


def find_quotes(article: Article) -> list[Quote]:
    found: list[Quote] = []
    for para in article.paragraphs:
        for m in _QUOTE.finditer(para):
            text = next(g for g in m.groups() if g).strip().rstrip(",")
            if len(text.split()) < MIN_WORDS:
                continue
            after = _CUE_AFTER.match(para[m.end() :])
            speaker = after.group(1).strip() if after else None
            found.append(Quote(text=text, speaker=speaker, cue=None))
    return found


def key_quotes(article: Article, k: int, lede: str = "") -> list[Quote]:
    if k <= 0:
        return []
    ranked = sorted(find_quotes(article), key=lambda q: (q.speaker is None, -len(q.text.split())))
    return [q for q in ranked if q.text not in lede][:k]
