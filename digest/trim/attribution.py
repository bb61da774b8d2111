"""Who said a quotation: the cue after it, or the cue before it, and the name next to the cue.

Patterns, in the order tried:
  after   „…“, sagte Müller.   « … », a-t-il déclaré.   "…," said Smith.   "…," Smith said.
          „…“, so Müller.   « … », selon Borrell.   „…“, stellte Celebi fest.
  before  Müller sagte: „…“   Il a ajouté : « … »   Der Zeitung sagte Karma: „…“   Laut X „…“
          Smith told reporters: "…"   X erklärte, man habe „…“ (a cue earlier in the sentence)
A pronoun is returned as such (with its gender) for the caller to resolve against the article.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lang import Language
from .names import Token, run_at

# auxiliaries and adverbs that sit between a speaker and a cue verb
_BETWEEN = frozenset(
    "a ont avait avaient aura has had have was were is ha han había habían hanno aveva avevano è hat hatte "
    "hatten haben wird wurde also too then later further again également aussi encore alors ensuite "
    "notamment déjà auch noch dann weiter zudem además también luego inoltre anche poi pure ancora "
    "t il elle".split()
)
# words after a quotation that start a new clause rather than an attribution
_CLAUSE = frozenset(
    "and but or that which who because while when and so und aber oder dass weil während wenn als denn "
    "et mais ou que qui car quand lorsque y pero o porque cuando mientras e ma o perché quando mentre "
    "mit with avec con".split()
)
_OBJECTS = frozenset("ihn ihm ihr es uns sie him her it them le la lui les lo gli".split())
MAX_GAP = 8


@dataclass(frozen=True)
class Attribution:
    speaker: str | None = None
    cue: str | None = None
    pronoun: str | None = None
    """Set when the speaker is a pronoun (or an unstated subject) to resolve: "m", "f" or ""."""


def _pronoun(tok: Token, lang: Language) -> str | None:
    """The gender marker of a pronoun token, including French inversions (a-t-il, dit-elle)."""
    low = tok.lower
    if low in lang.pronouns:
        return lang.pronouns[low] or ""
    if "-" in low:
        tail = low.rsplit("-", 1)[-1]
        if tail in lang.pronouns:
            return lang.pronouns[tail] or ""
    return None


def _inverted(tok: Token, lang: Language) -> str | None:
    """The gender of a pronoun fused to its verb: a-t-il, dit-elle, ajoute-t-il."""
    return _pronoun(tok, lang) if "-" in tok.text else None


def _is_cue(tok: Token, lang: Language) -> bool:
    low = tok.lower
    return low in lang.cue_verbs or ("-" in low and low.split("-", 1)[0] in lang.cue_verbs)


def _name_right(text: str, tokens: list[Token], j: int, hi: int, lang: Language) -> Attribution | None:
    """The speaker that starts at or shortly after token j (inverted: sagte Müller, said the minister)."""
    if j >= hi:
        return None
    tok = tokens[j]
    gender = _pronoun(tok, lang)
    if gender is not None and not tok.is_cap or (gender is not None and j + 1 < hi and not tokens[j + 1].is_cap):
        return Attribution(pronoun=gender)
    k = j
    while k < hi and k - j < 5 and tokens[k].is_word and not tokens[k].is_cap:
        k += 1  # articles and adjectives before a capitalised noun or name
    run = run_at(text, tokens, k, lang, hi) if k < hi else None
    if run is None:
        if k > j and tokens[j].lower in lang.determiners:
            words = [t for t in tokens[j:k]]
            cut = next((n for n in range(1, len(words)) if words[n].lower in lang.determiners), len(words))
            return Attribution(speaker=text[words[0].start : words[cut - 1].end])
        return None
    if run.name:
        return Attribution(speaker=run.name)
    # a role: look for a name in a genitive chain or an apposition just after it
    nxt = run.last + 1
    if nxt + 1 < hi and (tokens[nxt].lower in lang.determiners or tokens[nxt].text == ","):
        other = run_at(text, tokens, nxt + 1, lang, hi)
        if other is not None and other.name:
            return Attribution(speaker=other.name)
    start = tokens[j].start if tokens[j].lower in lang.determiners or k == j else tokens[k].start
    return Attribution(speaker=text[start : tokens[run.last].end])


def _name_left(text: str, tokens: list[Token], k: int, lo: int, lang: Language) -> Attribution | None:
    """The subject written before the cue verb at token k (Müller sagte, Blinken a déclaré)."""
    i = k - 1
    while i >= lo and tokens[i].lower in _BETWEEN and _pronoun(tokens[i], lang) is None:
        i -= 1
    if i < lo:
        return None
    gender = _pronoun(tokens[i], lang)
    if gender is not None:
        return Attribution(pronoun=gender)
    if tokens[i].text == ",":
        # an apposition: "Andres Granier, der Gouverneur von Tabasco, sagte" / "the chief, Mark Rutte, said"
        comma = next((c for c in range(i - 1, lo - 1, -1) if tokens[c].text == ","), None)
        inner = _first_name(text, tokens, (comma + 1) if comma is not None else lo, i, lang)
        outer = _first_name(text, tokens, lo, comma, lang) if comma is not None else None
        if outer is not None and not _after_preposition(tokens, outer[1], lang):
            return Attribution(speaker=outer[0])
        if inner is not None:
            return Attribution(speaker=inner[0])
        return None
    if tokens[i].is_cap:
        start = i
        while start - 1 >= lo and (tokens[start - 1].is_cap or tokens[start - 1].lower in lang.particles
                                   or tokens[start - 1].text == "."):
            start -= 1
        found = _first_name(text, tokens, start, i + 1, lang)
        if found is not None:
            return Attribution(speaker=found[0])
        run = run_at(text, tokens, start, lang, i + 1)
        if run is not None:
            begin = start - 1 if start - 1 >= lo and tokens[start - 1].lower in lang.determiners else start
            return Attribution(speaker=text[tokens[begin].start : tokens[i].end])
        return None
    # a lowercase role: "the prosecutor said", "le ministre a déclaré"
    start = i
    while start - 1 >= lo and start > i - 3 and tokens[start - 1].is_word and not tokens[start - 1].is_cap:
        start -= 1
        if tokens[start].lower in lang.determiners:
            return Attribution(speaker=text[tokens[start].start : tokens[i].end])
    return None


def _after_preposition(tokens: list[Token], index: int, lang: Language) -> bool:
    return index > 0 and tokens[index - 1].lower in lang.determiners and not tokens[index - 1].is_cap


def _first_name(text: str, tokens: list[Token], lo: int, hi: int, lang: Language) -> tuple[str, int] | None:
    """The first person name in tokens [lo, hi): the subject, in most sentences."""
    i = lo
    while i < hi:
        run = run_at(text, tokens, i, lang, hi)
        if run is None:
            i += 1
            continue
        if run.name:
            return run.name, run.first
        i = run.last + 1
    return None


def _cue_phrase(text: str, tokens: list[Token], i: int, hi: int, lang: Language) -> int | None:
    """If a multi-word cue ("according to") starts at token i, the token after it."""
    rest = text[tokens[i].start : tokens[hi - 1].end if hi > i else tokens[i].end].lower()
    for phrase in lang.cue_phrases:
        if rest.startswith(phrase):
            end = tokens[i].start + len(phrase)
            return next((n for n in range(i, hi) if tokens[n].start >= end), hi)
    return None


def after(text: str, tokens: list[Token], i: int, hi: int, lang: Language) -> Attribution | None:
    """The attribution that follows a quotation whose closing mark is just before token i."""
    while i < hi and tokens[i].text in ",;–—-":
        i += 1
    if i >= hi or not tokens[i].is_word:
        return None
    tok = tokens[i]
    if tok.lower in lang.inverted_cues or tok.lower in lang.cue_preps:
        j = i + 1
        if j < hi and tokens[j].is_word and not tokens[j].is_cap and tokens[j].lower not in lang.determiners:
            j += 1  # „…“, so charakterisierte ihn der Funktionär …
            while j < hi and tokens[j].lower in _OBJECTS:
                j += 1
        found = _name_right(text, tokens, j, hi, lang)
        return Attribution(found.speaker, tok.text, found.pronoun) if found else None
    phrase_end = _cue_phrase(text, tokens, i, hi, lang)
    if phrase_end is not None:
        found = _name_right(text, tokens, phrase_end, hi, lang)
        cue = text[tok.start : tokens[phrase_end - 1].end]
        return Attribution(found.speaker, cue, found.pronoun) if found else None
    # a cue verb within the next few words: the speaker is before it or after it
    for k in range(i, min(hi, i + MAX_GAP)):
        if tokens[k].is_word and _is_cue(tokens[k], lang):
            aux = k
            while aux > i and (_inverted(tokens[aux - 1], lang) is not None or (
                    tokens[aux - 1].lower in _BETWEEN and _pronoun(tokens[aux - 1], lang) is None)):
                aux -= 1
            cue = text[tokens[aux].start : tokens[k].end]
            inverted = next((g for g in map(lambda t: _inverted(t, lang), tokens[aux : k + 1]) if g is not None), None)
            if inverted is not None:
                return Attribution(cue=cue, pronoun=inverted)
            if aux > i:
                found = _name_left(text, tokens, aux, i, lang)
                if found is not None:
                    return Attribution(found.speaker, cue, found.pronoun)
            found = _name_right(text, tokens, k + 1, hi, lang)
            if found is not None:
                return Attribution(found.speaker, cue, found.pronoun)
            if aux == i:
                return Attribution(cue=cue, pronoun="")  # "dijo." / "ha detto." — the subject is unstated
            return None
        if not tokens[k].is_word and tokens[k].text not in ".,-":
            break
    # „…“, beschreibt ein Reporter das Ereignis — a verb this module does not list, then a name
    if not tok.is_cap and tok.lower not in _CLAUSE and tok.lower not in lang.stopwords:
        found = _name_right(text, tokens, i + 1, min(hi, i + 6), lang)
        if found is not None and found.speaker:
            return Attribution(found.speaker, tok.text, None)
    return None


def before(text: str, tokens: list[Token], lo: int, i: int, lang: Language) -> Attribution | None:
    """The attribution in the sentence before a quotation whose opening mark is token i."""
    if i <= lo:
        return None
    for k in range(i - 1, lo - 1, -1):
        tok = tokens[k]
        if tok.lower in lang.cue_preps and tok.lower != "zufolge":
            found = _name_right(text, tokens, k + 1, i, lang)
            if found is not None:
                return Attribution(found.speaker, tok.text, found.pronoun)
        if tok.is_word and _is_cue(tok, lang):
            aux = k
            while aux > lo and tokens[aux - 1].lower in _BETWEEN and _pronoun(tokens[aux - 1], lang) is None:
                aux -= 1
            cue = text[tokens[aux].start : tokens[k].end]
            inverted = _inverted(tok, lang)
            if inverted is not None:
                return Attribution(cue=cue, pronoun=inverted)
            if lang.code != "en":
                right = _name_right(text, tokens, k + 1, i, lang)
                if right is not None and right.speaker and run_at(text, tokens, k + 1, lang, i) is not None:
                    return Attribution(right.speaker, cue, None)
            left = _name_left(text, tokens, aux, lo, lang)
            if left is not None:
                return Attribution(left.speaker, cue, left.pronoun)
            right = _name_right(text, tokens, k + 1, i, lang)
            if right is not None:
                return Attribution(right.speaker, cue, right.pronoun)
            return Attribution(cue=cue, pronoun="") if lang.code in ("es", "it") else None
    if tokens[i - 1].text == ":":
        gender = _pronoun(tokens[lo], lang)
        if gender is not None:
            return Attribution(pronoun=gender)
        found = _first_name(text, tokens, lo, i, lang)
        if found is not None:
            return Attribution(speaker=found[0])
    return None
