"""Direct quotations, their speakers, and the key quotes of an article.

A quoted span is a quotation when it has at least MIN_WORDS words, is not the name of a thing or
the title of a work, and has a speaker or the shape of a sentence or of a clause of running text
(a partial quotation: sprach von einer „Gefahr für Leib und Leben“). A quotation carried over
several paragraphs (each paragraph opens it, only the last closes it) is one quotation; one split by
its attribution ("…," she said. "…") gives the second part the first part's speaker.

The speaker comes from a cue (attribution.py); a pronoun, an unstated subject ("dijo.") or an epithet
("reconoció el alemán") stands for the person named just before; a quotation without any cue is
given the speaker of the quotation just before it, else the person the text was last about. Each
speaker gets a confidence, how often a speaker found that way is right on the train splits
(CONFIDENCE_NAMED, CONFIDENCE_RESOLVED); below the language's speaker_threshold the quotation keeps
no speaker rather than a wrong one. Quotations are sought in an article's first MAX_CHARS characters.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

from digest.domain import Article, Quote
from digest.text.lang import Language, get
from digest.text.language import detect, scores
from digest.text.marks import Span, opens_with_quote, scan
from digest.text.sentences import sentence_spans
from digest.text.tokens import CAP_RUN, Token, tokenize
from digest.trim.attribution import Attribution, Attributor
from digest.trim.names import Run, genders_in, is_name_noun, is_person, is_role, people_in, runs

MIN_WORDS = 4
MAX_CHARS = 200_000
_LETTERS = re.compile(r"[^\W\d_]+")
_LAST_WORD = re.compile(r"([^\W\d_]+)$")
_FIRST_WORD = re.compile(r"([^\W\d_]+)")
_MARK = re.compile('[“”»«"„]')
_CLOSING = '“”»«"'
_OPENING = '„“«»"'
_ALNUM = re.compile(r"\w+")
_ABBREVIATION_AFTER = re.compile(r"\s*\([A-ZÀ-Þ]{2,}[a-z]?\)")
NAME_WORDS = 14  # a capitalised quoted term after an article this long or shorter is a name or a title
NAME_WORDS_CAPITALISED = 6  # the same where every noun is capitalised
FOREIGN_HITS = 1.0  # a quoted term with this much of another language and none of the article's is a name
RESOLVE_PARAGRAPHS = 4
INHERIT_CHARS = 120  # a quotation this close after another, with no cue of its own, continues it
SHORT_ATTRIBUTION = 5  # words of a sentence after a quoted question or exclamation that may attribute it
AFTER_CHARS = 100  # an attribution after a quotation is within this many characters of it
BEFORE_CHARS = 300  # and one before it, within this many
LEDE_OVERLAP = 0.8  # a quotation with this share of its words in the lede would repeat it
# How often a speaker found each way is right, read off the English and German train splits and
# rounded. A cue next to a name: (the article names that person in full or quoted them before, not).
CONFIDENCE_NAMED = {
    "cue": (0.95, 0.85),
    "role": (0.85, 0.85),
    "titled": (0.85, 0.85),
    "inherit": (0.85, 0.75),
    "weak": (0.78, 0.75),
}
FEW_PEOPLE = 8  # an article naming this many people or fewer, in full, is about one or two of them
# its first quotation without a cue, or with a pronoun ("She said: …"), is of the person named in that
# sentence or the one before
FIRST_OF_FEW = 0.8
WEAK_AGAIN = 0.9  # a sentence's subject without a cue who is the previous quotation's speaker
INHERIT_LOSS = 0.05  # a quotation continuing another's is that much less sure of its speaker
# a cue's speaker opening its sentence with an article and not ending with a role word: English train
# 19 right, 10 wrong (with a role word, "The president": 9 right, none wrong)
CUE_SENTENCE_THING = 0.66
WEAK_ROLE = 0.3  # a sentence's subject without a cue verb that is no name (a thing, seldom a speaker)
# A pronoun, an epithet or no cue at all: how sure the person found is, by whether they are the previous
# quotation's speaker ("again"), another speaker was quoted before ("other") or no one was ("first"),
# then by how many sentences back they were found (0: the quotation's own, 1, 2, 3 or more), each as
# (that sentence has a cue verb: the person spoke in it, it has none).
Table = dict[str, tuple[tuple[float, float], ...]]
CONFIDENCE_RESOLVED: dict[str, Table] = {
    "pronoun": {
        "again": ((0.93, 0.9), (0.94, 0.9), (0.88, 0.7), (0.84, 0.65)),
        "other": ((0.66, 0.55), (0.82, 0.64), (0.52, 0.52), (0.5, 0.35)),
        "first": ((0.7, 0.7), (0.77, 0.77), (0.6, 0.6), (0.4, 0.4)),
    },
    "context": {
        "again": ((0.85, 0.85), (0.87, 0.62), (0.63, 0.48), (0.52, 0.3)),
        "other": ((0.75, 0.65), (0.7, 0.32), (0.33, 0.2), (0.3, 0.17)),
        "first": ((0.9, 0.9), (0.68, 0.4), (0.5, 0.25), (0.1, 0.1)),
    },
}
CONFIDENCE_RESOLVED["epithet"] = CONFIDENCE_RESOLVED["pronoun"]  # too few to tell apart
_GENDERS = ("m", "f")
PLURAL = "p"  # the gender of a plural pronoun (Language.pronouns): a group, not the person named before
ROLE_SENTENCES = 2  # a role ("the minister") stands for a person named in its sentence or the one before
_SENTENCE_END = re.compile(r"[.!?…][\"'”“»«’‘)\]]*$")
_DASHES = "—―–-"
_MARKS = "\"'”’»«“‘„ "


@dataclass(frozen=True)
class Found:
    quote: Quote
    paragraph: int
    position: int
    sentence_like: bool
    confidence: float = 0.0
    """How sure the speaker is, 0 to 1 (0 when there is none)."""
    basis: str = ""
    """How the speaker was found: cue, role, weak, pronoun, epithet, inherit, context ("" for none)."""


class _Paragraphs:
    """Tokens and sentences of an article's paragraphs, computed when first needed."""

    def __init__(self, paragraphs: list[str], lang: Language):
        self.texts = paragraphs
        self.lang = lang
        self._tokens: dict[tuple[int, int, int], tuple[list[Token], list[int]]] = {}
        self._sentences: dict[int, list[tuple[int, int]]] = {}
        self._people: set[str] | None = None
        self._genders: dict[str, str] | None = None
        self._titles: list[tuple[int, int, frozenset[str], str]] | None = None
        self._sentence_starts: dict[int, list[int]] = {}
        self._runs: dict[tuple[int, int, int], list[Run]] = {}
        self._quoted: dict[int, list[tuple[int, int]]] = {}

    def tokens(self, i: int, a: int, b: int) -> tuple[list[Token], list[int]]:
        """Tokens of paragraph i between offsets a and b (offsets stay the paragraph's). Only the text
        around quotations is ever tokenised, not the quotations themselves."""
        key = (i, a, b)
        if key not in self._tokens:
            toks = tokenize(self.texts[i], a, b, self.lang.elides)
            self._tokens[key] = (toks, [t.start for t in toks])
        return self._tokens[key]

    def sentences(self, i: int) -> list[tuple[int, int]]:
        if i not in self._sentences:
            self._sentences[i] = sentence_spans(self.texts[i], self.lang.code) or [(0, len(self.texts[i]))]
        return self._sentences[i]

    def sentence_at(self, i: int, pos: int) -> tuple[int, int]:
        spans = self.sentences(i)
        if i not in self._sentence_starts:
            self._sentence_starts[i] = [a for a, _ in spans]
        k = bisect_right(self._sentence_starts[i], pos) - 1
        return spans[max(k, 0)]

    def quoted(self, i: int) -> list[tuple[int, int]]:
        """The quotations' spans in paragraph i, (start, end) offsets with their marks."""
        if i not in self._quoted:
            self._quoted[i] = [(sp.start, sp.end) for sp in scan(self.texts[i]).spans]
        return self._quoted[i]

    def runs(self, i: int, a: int, b: int) -> list[Run]:
        """Capitalised runs in paragraph i between offsets a and b."""
        key = (i, a, b)
        if key not in self._runs:
            self._runs[key] = runs(self.texts[i], self.tokens(i, a, b)[0], self.lang)
        return self._runs[key]

    def people(self) -> set[str]:
        """Surnames of people the article names in full somewhere."""
        if self._people is None:
            self._people = people_in("\n\n".join(self.texts), self.lang)
        return self._people

    def titles(self) -> list[tuple[int, int, frozenset[str], str]]:
        """Every person the article gives a role next to their name, in order: (paragraph, offset, the
        role's words, the name). "Minister Hans Weber", "la directrice générale Marie Dupont",
        "Marie Dupont, directrice générale de …", "Hans Weber, der Minister"."""
        if self._titles is None:
            self._titles = []
            role_words = self.lang.role_words
            for i, text in enumerate(self.texts):
                if not self.lang.capitalises_nouns and role_words.isdisjoint(_LETTERS.findall(text.lower())):
                    continue  # no role named in the paragraph
                for m in CAP_RUN.finditer(text):
                    words = m.group().split()
                    name_words = [w for w in words if not is_role(w, self.lang)]
                    if len(name_words) < 2:
                        continue
                    roles = {w.lower() for w in words if is_role(w, self.lang)}
                    before = _LETTERS.findall(text[max(0, m.start() - 40) : m.start()].lower())[-3:]
                    roles |= {w for w in before if is_role(w, self.lang)}
                    after = text[m.end() : m.end() + 60]
                    if after.startswith(","):
                        roles |= {w for w in _LETTERS.findall(after.lower())[:4] if is_role(w, self.lang)}
                    if roles:
                        self._titles.append(
                            (i, m.start(), frozenset(roles), " ".join(name_words).rstrip(".,"))
                        )
        return self._titles

    def genders(self) -> dict[str, str]:
        """The gender of the surnames the article writes after a given name or an honorific."""
        if self._genders is None:
            self._genders = genders_in("\n\n".join(self.texts), self.lang) if self.lang.first_names else {}
        return self._genders


def _is_name_or_title(inner: str, before: str, after: str, lang: Language, code: str) -> bool:
    """Names of things and titles of works in quotation marks: „Union pour un Mouvement Populaire“."""
    preceding = _LETTERS.findall(before[-40:].lower())
    adjacent = bool(preceding) and before.rstrip()[-1:].isalpha()  # no punctuation between word and quote
    if adjacent and (is_name_noun(preceding[-1], lang) or tuple(preceding[-2:]) in lang.self_naming):
        return True  # the book “…”, unter dem Motto „…“, vom Fußballverband „…“, das sich selbst „…“ nennt
    if _SENTENCE_END.search(inner) or before.rstrip().endswith(":"):
        return False
    words = inner.split()
    if _ABBREVIATION_AFTER.match(after) or _listed(before, after, lang):
        return True  # „Iceland Nature Conservation Association“ (Inca); „A“, „B“ oder „C“
    if before.rstrip().endswith("(") and after.lstrip().startswith(")"):
        return True  # a name's translation: Jobbik („Bewegung für ein besseres Ungarn“)
    after_article = bool(preceding) and (
        preceding[-1] in lang.determiners
        or (
            len(preceding) > 1
            and preceding[-2] in lang.determiners
            and bool(lang.adjective_endings)
            and preceding[-1].endswith(lang.adjective_endings)
        )
    )
    if inner[:1].isupper() and adjacent and after_article and _name_shaped(words, lang):
        return True  # the “Make America Great Again” slogan, des „Department of…“, der neue „Oberste Rat…“
    if lang.capitalises_nouns:
        capitalised = all(w[0].isupper() or not w[0].isalpha() for w in words)
    else:
        long_words = [w for w in words if len(w) > 3]
        capitalised = (
            len(long_words) >= 2
            and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)
            and not any(w.strip(",.;:") in lang.auxiliaries for w in words)
        )  # a title capitalises its verbs: "This is who Donald Trump is" is a sentence
    if capitalised:
        return True
    if any(w in lang.stopwords for w in _LETTERS.findall(inner.lower())):
        return False  # in the article's language
    hits = scores(inner)
    return hits.get(code, 0) == 0 and max(hits.values(), default=0) >= FOREIGN_HITS


def _listed(before: str, after: str, lang: Language) -> bool:
    """Whether the quoted term is an item of a list of quoted terms: „A“, „B“ oder „C“."""
    if not (_MARK.search(before, max(0, len(before) - 12)) or _MARK.search(after, 0, 12)):
        return False  # no other quoted term next to this one
    return _after_item(before.rstrip(), lang) or _before_item(after.lstrip(), lang)


def _after_item(tail: str, lang: Language) -> bool:
    """before ends with a quoted item and a separator: "„A“, " or "„A“ oder "."""
    if tail.endswith(","):
        rest = tail[:-1].rstrip()
    else:
        word = _LAST_WORD.search(tail)
        if word is None or word.group(1).lower() not in lang.list_words:
            return False
        rest = tail[: word.start()].rstrip()
    return rest[-1:] in _CLOSING and rest != ""


def _before_item(head: str, lang: Language) -> bool:
    """after starts with a separator and a quoted item: ", „B“" or " und „B“"."""
    if head.startswith(","):
        rest = head[1:].lstrip()
    else:
        word = _FIRST_WORD.match(head)
        if word is None or word.group(1).lower() not in lang.list_words:
            return False
        rest = head[word.end() :].lstrip()
    return rest[:1] in _OPENING and rest != ""


def _name_shaped(words: list[str], lang: Language) -> bool:
    """A capitalised quoted term after an article: short, or (where nouns are capitalised) long but made
    only of nouns, adjectives and function words (das „Große Goldene Ehrenzeichen mit dem Stern für …“)."""
    if not lang.capitalises_nouns:
        return len(words) <= NAME_WORDS
    if len(words) <= NAME_WORDS_CAPITALISED:
        return True
    lower = [w.strip(",.;:()") for w in words if w[:1].islower()]
    return len(words) <= NAME_WORDS and all(
        w in lang.stopwords or (bool(lang.adjective_endings) and w.endswith(lang.adjective_endings))
        for w in lower
    )


def _sentence_like(inner: str) -> bool:
    return bool(_SENTENCE_END.search(inner)) or (inner[:1].isupper() and inner.count(" ") >= 5)  # 6 words


def _clause_like(inner: str, lang: Language) -> bool:
    """A quoted passage with the function words of running text („weit hinter der normalen Aufsetzzone“),
    as opposed to a bare term or a name."""
    words = _LETTERS.findall(inner.lower())
    return len(words) >= MIN_WORDS and any(w in lang.stopwords for w in words)


_POSSESSIVE = re.compile(r"['’]s?$")
_JAMMED = re.compile(r"[a-zà-ÿ][A-ZÀ-Þ][a-zà-ÿ]+[A-ZÀ-Þ]")  # FoleyFlagShareLike: words run together


def _as_speaker(speaker: str, lang: Language) -> str | None:
    """The speaker found, or None where it cannot be one: a possessive (Trump's: the speaker is what
    follows it), a place, a day or a month, a heading in capitals (FULL TEXT), words run together from a page's
    buttons; a word that opens sentences and never a name (Yet Trump, Following Sanders) is cut off."""
    words = speaker.split()
    while words and words[0].lower() in lang.not_names:
        words = words[1:]
    if words and (
        words[0][:1].islower() or (words[0].lower() in lang.articles and not lang.capitalises_nouns)
    ):  # "the source recalled", and at a sentence's start "The president noted"
        words = _role_phrase(words, lang)
    if not words or _POSSESSIVE.search(words[-1]) or _JAMMED.search(speaker):
        return None
    if words[-1].lower().rstrip(".") in lang.honorifics or words[-1].lower() in _TITLE_ABBREVIATIONS:
        return None  # "Retired Army Col", "Former Rep": a title cut off before its name
    name = " ".join(words).lower().rstrip(".,")
    if name in lang.places or (len(words) > 1 and words[-1].lower() in lang.place_words):
        return None  # "North Carolina", "Aral Sea": a place
    if len(words) == 1:
        word = words[0].lower().rstrip(".,")
        if word in lang.weekdays or word in lang.months:
            return None  # "Tuesday", "September"
    elif _days(lang.weekdays).search(speaker) or speaker.isupper():
        return None  # "Speaking Sunday", "FULL TEXT"; but Theresa May
    return " ".join(words) if len(words) < len(speaker.split()) else speaker


_TITLE_ABBREVIATIONS = frozenset("col gen gov sen rep lt sgt capt cmdr adm".split())


def _role_phrase(words: list[str], lang: Language) -> list[str]:
    """A role written in lowercase or opening with an article, its cue verb taken off ("the source
    recalled", "The president noted": the source, The president); none
    when it ends with a word that cannot end a subject ("a headline that", "a previous case to", "the
    president will"): the words found are part of a clause, not who spoke."""
    if len(words) > 1 and words[-1].lower() in lang.cue_verbs:
        words = words[:-1]
    elif len(words) > 2 and words[-1].lower().endswith(lang.verb_endings) and not is_role(words[-1], lang):
        words = words[:-1]  # "The spokesman refused", "a familiar voice celebrated": the subject
    if all(w.lower() in lang.articles for w in words):
        return []  # an article alone: "The" before a quoted title
    last = words[-1].lower()
    if len(words) > 1 and (last in lang.stopwords or last in lang.clause_words or last in lang.auxiliaries):
        return []
    return words


@cache
def _days(weekdays: frozenset[str]) -> re.Pattern[str]:
    """A day's name anywhere in a text."""
    return re.compile(
        r"\b(?:" + "|".join(map(re.escape, sorted(weekdays))) + r")\b" if weekdays else "(?!)", re.I
    )


def _clean(text: str) -> str:
    return " ".join(text.split()).strip().rstrip(",;:").strip()


class _Finder:
    def __init__(self, paragraphs: list[str], code: str, lang: Language):
        self.paras = _Paragraphs(paragraphs, lang)
        self.lang = lang
        self.code = code
        self.found: list[Found] = []
        self._people: set[str] | None = None
        self.distance = 0  # sentences back the last resolved person was found (0: the quotation's own)
        self.previous: str | None = None  # the last speaker found, sure enough to keep or not
        self.spoke = False  # and whether that sentence has a cue verb (the person spoke in it)

    def attribute(
        self, first: tuple[int, Span], last: tuple[int, Span], prev_end: int, next_start: int
    ) -> Attribution:
        """Attribution of a quotation opening at `first` (paragraph, span) and closing at `last`: from
        the rest of its sentence after it, else from its sentence before it."""
        people = self.people()
        pi, span = last
        sentence_end = self._attribution_end(pi, span, next_start)
        toks, _ = self.paras.tokens(pi, span.end, min(sentence_end, next_start, span.end + AFTER_CHARS))
        found = Attributor(self.paras.texts[pi], toks, self.lang, people).after(0, len(toks))
        if found is None or (found.speaker is None and found.pronoun is None):
            found = (
                self._closing(pi, span.end, min(sentence_end, next_start))
                or self._signed_below(pi, span)
                or found
            )
        if found is not None and (found.speaker is not None or found.pronoun is not None):
            return found
        pi, span = first
        sentence_start, _ = self.paras.sentence_at(pi, span.start)
        start = max(sentence_start, prev_end if pi == last[0] else 0, span.start - BEFORE_CHARS)
        toks, _ = self.paras.tokens(pi, start, span.start)
        attributor = Attributor(self.paras.texts[pi], toks, self.lang, people)
        return attributor.before(0, len(toks)) or found or attributor.subject(0, len(toks)) or Attribution()

    def _signed_below(self, pi: int, span: Span) -> Attribution | None:
        """The signature in the paragraph after a quotation that ends its own: "— Jo Kim (@jokim)
        November 18, 2019" under a post quoted, "- Jo Kim." under a quotation set apart."""
        texts = self.paras.texts
        if pi + 1 >= len(texts) or texts[pi][span.end :].strip() or texts[pi + 1].lstrip()[:1] not in _DASHES:
            return None
        toks, _ = self.paras.tokens(pi + 1, 0, min(len(texts[pi + 1]), AFTER_CHARS))
        found = Attributor(texts[pi + 1], toks, self.lang, self.people()).after(0, len(toks))
        return found if found is not None and found.speaker else None

    def _attribution_end(self, pi: int, span: Span, next_start: int) -> int:
        """Where the attribution after a quotation may end: its sentence's end; or, when a question or
        an exclamation inside the marks ended the sentence ("…!” Jo Kim replied.), the end of the
        short sentence after it, up to the next quotation."""
        text = self.paras.texts[pi]
        _, end = self.paras.sentence_at(pi, span.end - 1)
        if text[span.end : end].strip(_MARKS) or text[: span.end].rstrip(_MARKS)[-1:] not in ("!", "?"):
            return end
        _, following = self.paras.sentence_at(pi, min(len(text) - 1, end + 1))
        following = min(following, next_start)
        return following if text.count(" ", end, following) <= SHORT_ATTRIBUTION else end

    def _closing(self, pi: int, a: int, b: int) -> Attribution | None:
        """An attribution that closes the sentence after a quotation, past a clause of its own:
        „…“, da … gekostet hätten, so die FIFA."""
        text = self.paras.texts[pi]
        for word in self.lang.inverted_cues:
            k = text.rfind(f", {word} ", a, b)
            if k >= 0:
                toks, _ = self.paras.tokens(pi, k + 2, b)
                return Attributor(text, toks, self.lang, self.people()).after(0, len(toks))
        return None

    def people(self) -> set[str]:
        """Surnames the article gives in full, and the speakers found so far."""
        if self._people is None:
            self._people = set(self.paras.people())
        return self._people

    def _opens_with_article(self, speaker: str) -> bool:
        """Whether a speaker opens with an article where nouns are not capitalised (The, A, An)."""
        return not self.lang.capitalises_nouns and speaker.split()[0].lower() in self.lang.articles

    def _definite(self, role: str) -> bool:
        """Whether a role opens with a definite article: "la científica", "l'altoatesino"."""
        first = tokenize(role, 0, None, self.lang.elides)
        return bool(first) and first[0].lower in self.lang.definite_articles

    def _reported(self, pi: int, pos: int) -> bool:
        """Whether the sentence before position pos of paragraph pi is reported speech: its verb is in
        a mood for what someone said (German Konjunktiv: Er sei „…“, Sie hätten „…“)."""
        start, _ = self.paras.sentence_at(pi, pos)
        return any(
            w in self.lang.reporting_moods for w in _LETTERS.findall(self.paras.texts[pi][start:pos].lower())
        )

    def _opening_role(self, toks: list[Token], end: int) -> str | None:
        """A role that opens a sentence with a definite article, its subject (Der Minister weist darauf
        hin), where roles are not epithets for the person just named (German)."""
        if not self.lang.capitalises_nouns or len(toks) < 3 or toks[1].end > end:
            return None
        first, head = toks[0], toks[1]
        if first.lower in self.lang.definite_articles and head.is_cap and is_role(head.text, self.lang):
            nxt = toks[2]
            if not (nxt.is_cap and nxt.is_word):  # not Der Minister Hans Weber: the person is found below
                return f"{first.text} {head.text}"
        return None

    def resolve(
        self, pi: int, pos: int, sentences: int | None = None, gender: str = "", roles: bool = False
    ) -> str | None:
        """The person a pronoun before position pos of paragraph pi stands for: the first person named
        in the nearest sentence before it that names one (the subject, in most sentences), looking at
        most `sentences` sentences back (the one holding pos counts) and RESOLVE_PARAGRAPHS paragraphs."""
        people = self.people()
        seen = 0
        own = int(any(a < pos < b for a, b in self.paras.sentences(pi)))  # the quotation's sentence
        for i in range(pi, max(pi - RESOLVE_PARAGRAPHS, -1), -1):
            text = self.paras.texts[i]
            for a, b in reversed([s for s in self.paras.sentences(i) if i != pi or s[0] < pos]):
                seen += 1
                if sentences is not None and seen > sentences:
                    return None
                end = min(b, pos) if i == pi else b
                if not CAP_RUN.search(text, a, end) and not any(p in text[a:end] for p in people):
                    continue  # no full name and no known surname: nothing to tokenise
                toks, _ = self.paras.tokens(i, a, b)  # the whole sentence: shared by its quotations
                if roles and (role := self._opening_role(toks, end)) is not None:
                    self.distance, self.spoke = seen - own, False
                    return role
                if (
                    gender
                    and len(toks) > 1
                    and toks[0].lower in self.lang.pronouns
                    and self._cue_at(toks, 1)
                    and toks[1].end <= end
                ):
                    continue  # "He said Mateen …", "He told POLITICO …": whom he spoke of, not who he is
                chosen = None
                for run in self.paras.runs(i, a, b):
                    if toks[run.last].end > end:
                        break
                    if run.first > 0 and toks[run.first - 1].lower in self.lang.determiners:
                        continue
                    if self._object_of_cue(toks, run.first):
                        continue  # "she told Hewitt", "Graham told CBS News": whom they spoke to
                    start = toks[run.first].start
                    if any(qa < start < qb for qa, qb in self.paras.quoted(i)):
                        continue  # a name inside a quotation is whom it speaks of, not who speaks
                    known = run.gender or (
                        self.paras.genders().get(run.name.split()[-1]) if gender and run.name else None
                    )
                    if gender and known and known != gender:
                        continue  # "sie" is not the "Herr Müller" named before, "she" not "Donald Trump"
                    if gender in _GENDERS and run.name and run.name.split()[-1].lower() in self.lang.institutions:
                        continue  # "she" is a person, not the "Alabama Democratic Party" named before
                    if (
                        run.name
                        and is_person(run, toks, self.lang, people)
                        and (" " in run.name or run.titled or run.name.split()[-1] in people)
                    ):
                        if self._cue_at(toks, run.last + 1) or self._cue_at(toks, run.first - 1):
                            chosen = run.name  # "…, Stovall said", "D'Souza replied": the one speaking
                            break
                        chosen = chosen or run.name  # else the first person named (the subject, mostly)
                if chosen is not None:
                    self.distance = seen - own
                    self.spoke = any(t.lower in self.lang.cue_verbs for t in toks if t.end <= end)
                    return chosen
        return None

    def _object_of_cue(self, toks: list[Token], first: int) -> bool:
        """Whether a name at token `first` follows a cue verb with its subject before it (she told
        Hewitt): where subjects do not follow their verb, the person spoken to; "…,” said Kim is not."""
        if self.lang.subject_after_verb or first < 2 or not self._cue_at(toks, first - 1):
            return False
        return toks[first - 2].is_word or toks[first - 2].text == ")"

    def _cue_at(self, toks: list[Token], k: int) -> bool:
        """Whether token k is a cue verb (said, told, replied)."""
        return 0 <= k < len(toks) and toks[k].lower in self.lang.cue_verbs

    def add(
        self,
        parts: list[str],
        first: tuple[int, Span],
        last: tuple[int, Span],
        prev_end: int,
        next_start: int,
        inherit: str | None,
    ) -> None:
        inner = _clean(" ".join(parts))
        if inner.count(" ") < MIN_WORDS - 1:  # (_clean leaves one space between words)
            return
        pi, span = first
        text = self.paras.texts[pi]
        after = self.paras.texts[last[0]][last[1].end : last[1].end + 40]
        if _is_name_or_title(inner, text[max(0, span.start - 80) : span.start], after, self.lang, self.code):
            return
        found = self.attribute(first, last, prev_end, next_start)
        if found.weak and found.cue is None and self._reported(pi, span.start):
            # Der Niederländer sei „…“: reported speech goes on in the subjunctive; its speaker is the one
            # quoted or named just before, not the sentence's subject
            found = Attribution()
        speaker = found.speaker
        basis = "weak" if found.weak else ("role" if found.role else "cue")
        titled = (
            self._titled(found.speaker, pi, span.start)
            if found.speaker
            and (found.role or found.speaker[:1].islower())
            and not self.lang.capitalises_nouns
            else None
        )  # German roles are as often someone the article does not name (see below)
        if titled is not None:
            speaker, basis = titled, "titled"  # "a déclaré la directrice générale": Marie Dupont, named so
        elif speaker is None and found.pronoun is not None:
            speaker = None if found.pronoun == PLURAL else self.resolve(pi, span.start, gender=found.pronoun)
            basis = "pronoun"
        elif (
            found.role and found.speaker and self._definite(found.speaker) and not self.lang.capitalises_nouns
        ):
            # "señaló la científica", "reconoció el alemán": an epithet for the person just named. (German
            # roles — "sagte der Bundestrainer" — are as often someone not named yet, and stay roles.)
            named = self.resolve(pi, span.start, ROLE_SENTENCES)
            speaker, basis = (named, "epithet") if named else (speaker, "role")
        if speaker is None and found.cue is None:
            # no cue at all: the speaker of the paragraph's previous quotation, else the person the
            # text was last about (news rarely quotes without saying whom, a sentence or two before)
            speaker, basis = (
                (inherit, "inherit") if inherit else (self.resolve(pi, span.start, roles=True), "context")
            )
        sentence_like = _sentence_like(inner)
        if speaker is None and not (sentence_like or _clause_like(inner, self.lang)):
            return
        speaker = _as_speaker(speaker, self.lang) if speaker else None
        confidence = self._confidence(speaker, basis) if speaker else 0.0
        if speaker:
            self.previous = speaker
        if confidence < self.lang.speaker_threshold:
            speaker, confidence = None, 0.0
        if speaker:
            self.people().add(speaker.split()[-1])
        quote = Quote(text=inner, speaker=speaker, cue=found.cue)
        self.found.append(Found(quote, pi, span.start, sentence_like, confidence, basis if speaker else ""))

    def _titled(self, role: str, pi: int, pos: int) -> str | None:
        """The person the article named with this role before position pos of paragraph pi, when it
        names no one else so: "the minister" after "Minister Hans Weber"."""
        words = {w for w in _LETTERS.findall(role.lower()) if is_role(w, self.lang)}
        if not words:
            return None
        named = {name.split()[-1]: name for i, at, roles, name in self.paras.titles() if words <= roles}
        before = [
            name for i, at, roles, name in self.paras.titles() if (i, at) < (pi, pos) and words <= roles
        ]
        return before[-1] if before and len(named) == 1 else None  # one person holds it in the article

    def _again(self, last: str) -> bool:
        """Whether the previous quotation with a speaker has this one (by surname)."""
        return self.previous is not None and self.previous.split()[-1] == last

    def _confidence(self, speaker: str, basis: str) -> float:
        """How sure a speaker is, by how it was found (CONFIDENCE_NAMED, CONFIDENCE_RESOLVED)."""
        last = speaker.split()[-1]
        if basis == "weak" and speaker[:1].islower() and not self.lang.capitalises_nouns:
            # "a speech", "the email goes": a sentence's subject without a cue, no name, a thing (where
            # nouns are capitalised, as in German, such a subject is as often a role: die Polizei)
            return WEAK_ROLE
        if (
            basis == "cue"
            and speaker[:1].isupper()
            and self._opens_with_article(speaker)
            and not is_role(last, self.lang)
        ):  # "The debate said: …", "The next day, …": a thing opening its sentence, not "The president"
            return CUE_SENTENCE_THING
        if basis in CONFIDENCE_NAMED:
            known, unknown = CONFIDENCE_NAMED[basis]
            sure = known if last in self.people() or speaker[:1].islower() else unknown
            if basis == "weak" and self._again(last):
                return WEAK_AGAIN
            if basis == "inherit":  # a little less sure than the quotation it continues
                source = next((f.confidence for f in reversed(self.found) if f.quote.speaker == speaker), 1.0)
                return min(sure, round(source - INHERIT_LOSS, 2))
            return sure
        relation = "first" if self.previous is None else ("again" if self._again(last) else "other")
        if relation == "first" and basis in ("context", "pronoun") and self.distance <= 1:
            if len(self.paras.people()) <= FEW_PEOPLE:
                return FIRST_OF_FEW  # an article about one or two people quotes them first
        by_distance = CONFIDENCE_RESOLVED[basis][relation]
        spoke, silent = by_distance[min(self.distance, len(by_distance) - 1)]
        return spoke if self.spoke else silent

    def run(self) -> list[Found]:
        texts = self.paras.texts
        carry: tuple[list[str], tuple[int, Span]] | None = None
        for pi, text in enumerate(texts):
            marks = scan(text)
            spans = list(marks.spans)
            lead = len(text) - len(text.lstrip())
            if carry is not None:
                parts, first = carry
                carry = None
                opener = texts[first[0]][first[1].start]
                if opens_with_quote(text) and text[lead] == opener:  # the same mark opens each paragraph
                    if spans and spans[0].start == lead:
                        span = spans.pop(0)
                        parts.append(text[span.start + 1 : span.end - 1])
                        nxt = spans[0].start if spans else len(text)
                        self.add(parts, first, (pi, span), 0, nxt, None)
                    elif marks.dangling == lead:
                        carry = (parts + [text[lead + 1 :]], first)
                        continue
            prev_end, speaker = 0, None
            # a short quoted term between a quotation and its attribution does not end the attribution
            # (schrieb „Die Zeit“); only other quotations do
            long = [s.start for s in spans if text.count(" ", s.start, s.end) >= MIN_WORDS - 1]
            for span in spans:
                if span.start - prev_end > INHERIT_CHARS:
                    speaker = None  # too far from the previous quotation to be its continuation
                k = bisect_right(long, span.start)
                nxt = long[k] if k < len(long) else (marks.dangling or len(text))
                before = len(self.found)
                self.add(
                    [text[span.start + 1 : span.end - 1]], (pi, span), (pi, span), prev_end, nxt, speaker
                )
                if len(self.found) > before:
                    speaker = self.found[-1].quote.speaker or speaker
                    prev_end = span.end
            if marks.dangling is not None and marks.dangling + 1 < len(text):
                carry = ([text[marks.dangling + 1 :]], (pi, Span(marks.dangling, len(text))))
        return self.found


def _bounded(paragraphs: list[str]) -> list[str]:
    """The paragraphs within the first MAX_CHARS characters: no news story is longer, and a 20 MB text
    costs no more than one of MAX_CHARS."""
    kept, used = [], 0
    for p in paragraphs:
        if used + len(p) > MAX_CHARS:
            kept.append(p[: MAX_CHARS - used])
            break
        kept.append(p)
        used += len(p)
    return kept


def quotations(article: Article, language: str | None = None) -> list[Found]:
    """Every direct quotation of an article, in order of appearance (within its first MAX_CHARS)."""
    paragraphs = _bounded(article.paragraphs)
    code = language or article.language or detect(" ".join(paragraphs[:8])) or "en"
    return list(_quotations(tuple(paragraphs), code))


@lru_cache(maxsize=256)
def _quotations(paragraphs: tuple[str, ...], code: str) -> tuple[Found, ...]:
    """The finder's work, kept for the last articles asked: an edition's board and each of its changes
    ask again for the same few dozen articles' quotations (Found and Quote are frozen, so sharing is safe)."""
    lang = get(code) or get("en")
    assert lang is not None
    return tuple(_Finder(list(paragraphs), code, lang).run())


def find_quotes(article: Article, language: str | None = None) -> list[Quote]:
    return [f.quote for f in quotations(article, language)]


def _words(text: str) -> set[str]:
    return set(_ALNUM.findall(text.lower()))


def key_quotes(
    article: Article, k: int, lede: str = "", language: str | None = None, found: list[Found] | None = None
) -> list[Quote]:
    """The k quotations a digest shows: attributed, substantial, not the lede again, one per speaker first."""
    return [f.quote for f in key_found(article, k, lede, language, found)]


def key_found(
    article: Article, k: int, lede: str = "", language: str | None = None, found: list[Found] | None = None
) -> list[Found]:
    """key_quotes, each with where it was found and how sure its speaker is."""
    if k <= 0:
        return []
    candidates = [
        f for f in (found if found is not None else quotations(article, language)) if f.quote.speaker
    ]

    def substance(f: Found) -> float:
        words = len(f.quote.text.split())
        size = min(words, 40) / 40 - max(0, words - 60) / 60
        return size + (0.3 if f.sentence_like else 0.0) - 0.02 * f.paragraph

    ranked = sorted(candidates, key=substance, reverse=True)
    first_by_speaker: dict[str, int] = {}
    for n, f in enumerate(ranked):
        if f.quote.speaker:  # always: candidates are the attributed quotations
            first_by_speaker.setdefault(f.quote.speaker.split()[-1], n)  # "Ann Lee" and "Lee" are one speaker
    firsts = set(first_by_speaker.values())
    order = [ranked[n] for n in sorted(firsts)] + [f for n, f in enumerate(ranked) if n not in firsts]
    lede_words = _words(lede)
    chosen: list[Found] = []
    for f in order:
        words = _words(f.quote.text)
        if len(words & lede_words) < LEDE_OVERLAP * len(words):  # not the lede again
            chosen.append(f)
            if len(chosen) == k:
                break
    return sorted(chosen, key=lambda f: (f.paragraph, f.position))
