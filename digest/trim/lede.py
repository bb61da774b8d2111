"""The lede: the standfirst, else the first substantive body paragraph (a sentence, not a headline
repeated or a photo's caption), cut to a word budget."""

from __future__ import annotations

import re

from digest.domain import Article
from digest.ingest.structure import is_photo_caption
from digest.text.language import detect
from digest.text.sentences import sentence_spans

CHARS_PER_WORD = 40
MIN_WORDS = 12  # shorter paragraphs are bylines, datelines, subheads or teasers, not the story's start
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”“»«’)\]]*$")


def lede_source(article: Article, language: str | None) -> str:
    if article.standfirst and article.standfirst.strip():
        return " ".join(article.standfirst.split())
    for p in article.paragraphs:
        if len(p.split()) < MIN_WORDS or not _SENTENCE_END.search(p) or is_photo_caption(p):
            continue  # a subhead, a headline repeated, a teaser; a photo's caption with its credit
        other = detect(p)
        if language and other and other != language:
            continue  # a caption or credit in another language that structure did not catch
        return p
    return next((p for p in article.paragraphs if p.strip()), "")


def cut(text: str, budget: int, language: str | None = None) -> str:
    """Whole sentences within the budget; a first sentence over it is cut at a word with an ellipsis."""
    if budget <= 0:
        return ""
    text = text[: max(budget * CHARS_PER_WORD, 1000)]  # never more than the budget could use
    kept_end, used = 0, 0
    for start, end in sentence_spans(text, language):
        n = len(text[start:end].split())
        if used + n > budget:
            break
        kept_end, used = end, used + n
    if kept_end:
        return text[:kept_end].strip()
    words = text.split()
    if len(words) <= budget:
        return text.strip()
    return " ".join(words[:budget]).rstrip(",;:—–-") + "…"


def lede_of(article: Article, budget: int, language: str | None = None) -> str:
    return cut(lede_source(article, language), budget, language)
