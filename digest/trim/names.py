"""Names in running text: runs of capitalised words, and which of them name a person.

No gazetteer and no tagger: a run of capitalised words (with name particles, initials and
honorifics) is a name candidate; role words in front of it ("Secretary of State", German
"Justizminister") are cut off; where every noun is capitalised (German: `capitalises_nouns` in the
language's data), the first word of a run that follows an article is a noun, not a name
("der Flughafenmanager Vedat Muftuoglu"). The tokens come from digest.text.tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from digest.text.lang import Language
from digest.text.tokens import CAP_RUN, Token

# words that continue a name after a first particle, whatever the article's language (von der Leyen)
_SECOND_PARTICLES = frozenset("der den de la le del van".split())
# "zu" joins a name only to the surname itself (zu Guttenberg); "von den Grünen" is a party, not a name
_SECOND_AFTER = {"zu": frozenset(), "von": _SECOND_PARTICLES - {"den"}}


@dataclass(frozen=True)
class Run:
    """Tokens [first, last] of a capitalised run and the part of it that names someone, if any."""

    first: int
    last: int
    name: str | None
    """The person's name as written (honorifics kept, role words cut), or None when the run is a role."""
    name_start: int
    name_end: int
    after_article: bool
    titled: bool
    """A role word or honorific came before the name (Präsident Gusmão, Mme Dupont)."""
    governed: bool
    """A preposition governs the run (Über Steve Fossett, vor dem Düsseldorfer Konzert): not a subject."""
    gender: str | None = None
    """"m" or "f" when an honorific or a role word before the name tells (Frau, Mme, Stadträtin)."""


def _is_preposition(word: str, lang: Language) -> bool:
    """Function words that are neither articles nor pronouns: prepositions, mostly."""
    return (
        (word in lang.determiners or word in lang.stopwords)
        and word not in lang.articles
        and word not in lang.pronouns
        and word not in lang.auxiliaries  # adverbs: Auch die Ministerin sagte
        and word not in lang.conjunctions  # „…“, wie Müller zitiert wird
    )


def is_role(word: str, lang: Language) -> bool:
    return _is_role(word.lower(), lang.role_words, lang.capitalises_nouns)


@lru_cache(maxsize=8192)
def _is_role(low: str, role_words: frozenset[str], compounds: bool) -> bool:
    """Whether a lowercase word is one of the words, or (compounds) ends with one of them."""
    if low in role_words:
        return True
    return compounds and _role_suffix(role_words).search(low.rsplit("-", 1)[-1]) is not None


def is_name_noun(word: str, lang: Language) -> bool:
    """A noun that introduces a title or a name; in German also as the end of a compound
    (Fußballverband, Fernsehsendung, Fachzeitschrift)."""
    return _is_role(word, lang.name_nouns, lang.capitalises_nouns)


@cache
def _role_suffix(role_words: frozenset[str]) -> re.Pattern[str]:
    """German compounds end with their head: Flughafenmanager, GdP-Vorsitzende, Fußballverband."""
    roles = sorted((r for r in role_words if len(r) > 3), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, roles)) + ")$")


def _titles_a_name(tok: Token, lang: Language) -> bool:
    """Whether a word before a full stop is an initial or an abbreviated title that a name follows:
    "J. Doe", "Mr. Doe", "Sen. Jo Doe", "Col. Jo Doe"."""
    return (
        len(tok.text) == 1
        or tok.lower in lang.honorifics
        or (tok.lower in lang.abbreviations and is_role(tok.text, lang))
    )


def run_at(text: str, tokens: list[Token], i: int, lang: Language, stop: int | None = None) -> Run | None:
    """The capitalised run that starts at token i, or None if token i does not start one."""
    n = len(tokens) if stop is None else min(stop, len(tokens))
    if i >= n or not tokens[i].is_word or not tokens[i].is_cap:
        return None
    last = i
    j = i + 1
    while j < n:
        tok = tokens[j]
        if tok.is_word and tok.is_cap:
            if tok.lower in lang.stopwords:
                break
            last = j
        elif tok.text == "." and _titles_a_name(tokens[j - 1], lang):
            if j + 1 < n and tokens[j + 1].is_cap and tokens[j + 1].is_word:
                last = j
            else:
                break
        elif tok.lower in lang.particles:
            # particles belong to a name when one capitalised word after them ends it (Ursula von der Leyen)
            k = j + 1
            second = _SECOND_AFTER.get(tok.lower, _SECOND_PARTICLES)
            while k < n and tokens[k].lower in second:
                k += 1
            ends_name = k < n and tokens[k].is_cap and tokens[k].is_word
            if ends_name and not (k + 1 < n and tokens[k + 1].is_cap and tokens[k + 1].is_word):
                last = j = k
            else:
                break
        else:
            break
        j += 1
    before = tokens[i - 1].lower if i else ""
    after_article = before in lang.determiners
    governed = _is_preposition(before, lang) or (
        i > 1 and before in lang.articles and _is_preposition(tokens[i - 2].lower, lang)
    )
    words = [k for k in range(i, last + 1) if tokens[k].is_word]
    titled = False
    after_number = i > 0 and tokens[i - 1].text[0].isdigit()
    # cut role words and, where every noun is capitalised, the noun that follows an article
    role_words, compounds = lang.role_words, lang.capitalises_nouns
    roles = [_is_role(tokens[k].lower, role_words, compounds) for k in words]
    last_role = max((n for n, role in enumerate(roles) if role), default=-1)
    if 0 <= last_role < len(words) - 1:
        titled = True  # NATO Secretary General Mark Rutte, Webers Kollege Jonas Hartmann
        words, roles = words[last_role + 1 :], roles[last_role + 1 :]
    while words and (
        roles[0] or tokens[words[0]].lower in lang.determiners or tokens[words[0]].lower in lang.stopwords
    ):
        after_article = after_article or tokens[words[0]].lower in lang.determiners
        titled = titled or roles[0]
        roles.pop(0)
        governed = governed or _is_preposition(tokens[words[0]].lower, lang)
        words.pop(0)
    if lang.capitalises_nouns and after_article and words and not titled and words[0] <= i + 1:
        words.pop(0)
    while words and tokens[words[0]].lower in lang.particles:
        words.pop(0)
    if not words or after_number:  # 765 Millionen Euro, 40 Grad Celsius
        return Run(i, last, None, tokens[i].start, tokens[last].end, after_article, titled, governed)
    start_tok = words[0]
    gender = _gender(tokens, max(i - 1, 0), start_tok, lang)
    # keep an honorific written just before the name (M. Macron, Frau Merkel)
    if (
        start_tok - 2 >= i
        and tokens[start_tok - 1].text == "."
        and tokens[start_tok - 2].lower in lang.honorifics
    ):
        start_tok, titled = start_tok - 2, True
    elif start_tok - 1 >= i and tokens[start_tok - 1].lower in lang.honorifics:
        start_tok, titled = start_tok - 1, True
    name = text[tokens[start_tok].start : tokens[words[-1]].end]
    return Run(
        i, last, name, tokens[start_tok].start, tokens[words[-1]].end, after_article, titled, governed, gender
    )


def _gender(tokens: list[Token], lo: int, name: int, lang: Language) -> str | None:
    """The gender the words just before a name give it: an honorific (Frau, Mme, Mrs) or a role word
    with a feminine ending (Stadträtin, ministra); else its given name (Hillary, Donald)."""
    gender = _gender_before(tokens, lo, name, lang)
    return gender if gender is not None else lang.first_names.get(tokens[name].lower)


def _gender_before(tokens: list[Token], lo: int, name: int, lang: Language) -> str | None:
    for k in range(name, max(lo, name - 3) - 1, -1):  # the name's own first word may be the honorific
        word = tokens[k].lower
        if word in lang.honorific_genders:
            return lang.honorific_genders[word]
        if _is_role(word, lang.role_words, lang.capitalises_nouns):
            if lang.feminine_endings and word.endswith(lang.feminine_endings):
                return "f"
            return "m" if lang.roles_have_gender else None
    return None


def runs(text: str, tokens: list[Token], lang: Language, lo: int = 0, hi: int | None = None) -> list[Run]:
    """Every capitalised run between tokens lo and hi."""
    hi = len(tokens) if hi is None else hi
    found: list[Run] = []
    i = lo
    while i < hi:
        tok = tokens[i]
        run = run_at(text, tokens, i, lang, hi) if tok.is_cap and tok.is_word else None
        if run is None:
            i += 1
        else:
            found.append(run)
            i = run.last + 1
    return found


def is_person(
    run: Run, tokens: list[Token], lang: Language, people: set[str], next_to_cue: bool = False
) -> bool:
    """Whether a run names a person rather than a thing, a place or a capitalised common word.

    Two words or more, a title before it, or a surname the article gives in full elsewhere make a
    person. A lone word otherwise counts only where nouns and sentence-initial adverbs cannot pass for
    names: next to a cue verb, or (in a language that does not capitalise every noun) when it is not a
    function word and does not open a sentence.
    """
    if not run.name:
        return False
    if " " in run.name or run.titled or run.name in people or run.name.split()[-1] in people:
        return True
    if run.name.lower() in lang.stopwords or run.after_article:
        return False
    if lang.capitalises_nouns:
        return next_to_cue and run.name_start == tokens[run.first].start
    initial = run.first == 0 or tokens[run.first - 1].text in '.!?:;„“”"«»'
    return next_to_cue or not initial


def genders_in(text: str, lang: Language) -> dict[str, str]:
    """The gender of each surname the article writes after a given name or an honorific it knows
    (Hillary Clinton: f; Mr. Kasich: m); a surname given both is left out (Bill and Hillary Clinton)."""
    found: dict[str, str] = {}
    mixed: set[str] = set()
    for m in CAP_RUN.finditer(text):
        words = m.group().split()
        before = words[-2].strip(".,").lower()
        gender = lang.first_names.get(before) or lang.honorific_genders.get(before)
        if gender and found.setdefault(words[-1].rstrip(".,"), gender) != gender:
            mixed.add(words[-1].rstrip(".,"))
    return {k: v for k, v in found.items() if k not in mixed}


def people_in(text: str, lang: Language) -> set[str]:
    """Surnames of the people an article names in full (two capitalised words or more, after cutting
    articles and role words), so that a lone surname elsewhere is known to be a person."""
    found: set[str] = set()
    skip, roles, compounds = lang.determiners | lang.stopwords, lang.role_words, lang.capitalises_nouns
    for m in CAP_RUN.finditer(text):
        words = m.group().split()
        n = 0
        titled = article = False
        while n < len(words):
            low = words[n].lower()
            if low in skip:
                article = article or low in lang.determiners
            elif _is_role(low, roles, compounds):
                titled = True
            else:
                break
            n += 1
        if (
            compounds
            and not titled
            and len(words) - n >= 2
            and (article or _after_article(text, m.start(), lang))
        ):
            n += 1  # die Bochumer Polizei, der Deutsche Bundestag: after an article, a noun, not a first name
        if len(words) - n >= 2:
            found.add(words[-1].rstrip(".,"))
    return found


def _after_article(text: str, start: int, lang: Language) -> bool:
    """Whether the word before offset start is an article, not a relative pronoun after a comma
    (die Marke, die Gerhard Schröder erklärt hatte)."""
    before = text[max(0, start - 12) : start].split()
    return (
        bool(before)
        and before[-1].lower() in lang.determiners
        and (len(before) == 1 or not before[-2].endswith(","))
    )
