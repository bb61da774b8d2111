"""Sentence splitting. First version: a regex that respects a few abbreviations."""

import re

_ABBREV = {"mr", "mrs", "ms", "dr", "st", "m", "mme", "nov", "dec", "jan", "feb", "u.s", "sr", "sra", "prof"}
_BOUNDARY = re.compile(r"(?<=[.!?…])[»”\"’]?\s+(?=[«“\"„A-ZÀ-ÖØ-Þ0-9])")


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        candidate = text[start : m.start()]
        last = candidate.rstrip(".»”\"’").split()[-1:] or [""]
        if last[0].lower().rstrip(".") in _ABBREV or len(last[0]) == 1:
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out
