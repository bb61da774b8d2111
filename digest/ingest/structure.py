"""Plain-text article structure: title, caption, credit, body; boilerplate dropped.

First version: enough for scraped text shaped like the sample (caption and credit before the
title, a comment form after the body). The trim issue deepens it.
"""

from __future__ import annotations

import re

from digest.domain import Article

_END = re.compile(r"[.!?:;…»”\"')]$")
_BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"^(laisser|leave|lascia|deja|hinterlassen) (un|a|einen|una|un) (commentaire|comment|commento|comentario|kommentar)",
        r"^\w+ [+\-x×] \w+ =\s*\S*$",  # "sept + vingt =" captcha
        r"^(partager|share|teilen|compartir|condividi)( (sur|on|auf|en|su))?\b.{0,40}$",
        r"^(lire aussi|read more|weiterlesen|leer más|leggi anche)\b.{0,200}$",
        r"^(©|\(c\)|copyright)\b",
    )
]


def paragraphs_of(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(b.split()) for b in blocks if b.strip()]


def is_boilerplate(paragraph: str) -> bool:
    return any(p.search(paragraph) for p in _BOILERPLATE)


_CREDIT = re.compile(r"^(photo|foto|crédit|credit|bild|image|imagen|immagine)\s*:", re.I)


def _looks_like_title(p: str) -> bool:
    words = len(p.split())
    return 3 <= words <= 30 and not _END.search(p) and not _CREDIT.match(p)


def parse_plain_text(text: str) -> Article:
    paras = [p for p in paragraphs_of(text) if not is_boilerplate(p)]
    if not paras:
        return Article(title="", paragraphs=[])
    title_at = next((i for i, p in enumerate(paras[:4]) if _looks_like_title(p)), 0)
    caption = byline = None
    for p in paras[:title_at]:
        if _CREDIT.match(p) or (len(p.split()) <= 5 and not _END.search(p)):
            byline = p
        else:
            caption = p
    return Article(title=paras[title_at], paragraphs=paras[title_at + 1 :], caption=caption, byline=byline)
