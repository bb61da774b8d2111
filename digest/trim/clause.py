"""The tokens around a quotation and what the attribution rules ask of them: pronouns, cue words,
verb groups, asides, the first person of a clause, and where a German clause's subject may stand."""

from __future__ import annotations

from functools import cache

from digest.text.lang import Language
from digest.text.tokens import Token
from digest.trim.names import Run, is_person, run_at

CHAIN = 8  # a name in a role's genitive chain or apposition comes within this many tokens
SUBJECT_REACH = 6  # a sentence's subject starts within its first few tokens
DASH_ASIDE = 16  # an aside between dashes after a name, before its verb, is this many tokens at most
ASIDE = 5  # a parenthesis between a name and its verb, (SPD) or (42), is this many tokens at most


@cache
def _first_words(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(p.split()[0] for p in phrases)


class Clause:
    """Tokens of one paragraph window, its language and the people the article names."""

    def __init__(self, text: str, tokens: list[Token], lang: Language, people: set[str]):
        self.text, self.tokens, self.lang, self.people = text, tokens, lang, people

    def _pronoun(self, i: int) -> str | None:
        """The gender marker of a pronoun token, including French inversions (a-t-il, dit-elle)."""
        low = self.tokens[i].lower
        if low in self.lang.pronouns:
            return self.lang.pronouns[low] or ""
        return self._inverted(i)

    def _inverted(self, i: int) -> str | None:
        low = self.tokens[i].lower
        if "-" in low:
            tail = low.rsplit("-", 1)[-1]
            if tail in self.lang.pronouns:
                return self.lang.pronouns[tail] or ""
        return None

    def _is_cue(self, i: int) -> bool:
        low = self.tokens[i].lower
        return low in self.lang.cue_verbs or ("-" in low and low.split("-", 1)[0] in self.lang.cue_verbs)

    def _span(self, a: int, b: int) -> str:
        return self.text[self.tokens[a].start : self.tokens[b].end]

    def _aux_start(self, k: int, lo: int) -> int:
        """The first token of the verb group ending at the cue verb k (a déclaré, a-t-il ajouté)."""
        aux = k
        while aux > lo and (
            self._inverted(aux - 1) is not None
            or (self.tokens[aux - 1].lower in self.lang.auxiliaries and self._pronoun(aux - 1) is None)
        ):
            aux -= 1
        return aux

    def _subject_after(self, j: int, hi: int) -> int:
        """Where a subject written after its verb starts: past a reflexive and a nominative article
        (Ähnlich äußerte sich der Präsident George W. Bush)."""
        toks, lang = self.tokens, self.lang
        while j < hi and toks[j].lower in lang.reflexives:
            j += 1
        if j + 1 < hi and toks[j].lower in lang.articles and toks[j].lower not in lang.oblique_articles:
            j += 1
        return j

    def _before_aside(self, i: int, lo: int) -> int:
        """The token before a short parenthesis that ends at token i (Renate Schmidt (SPD) sagte), or
        before an aside between dashes (Jo Kim — named the favourite on Monday — told), else i."""
        toks = self.tokens
        if i <= lo or toks[i].text not in ")—–":
            return i
        opening_mark, reach = ("(", ASIDE) if toks[i].text == ")" else (toks[i].text, DASH_ASIDE)
        opening = next(
            (n for n in range(i - 1, max(lo, i - reach) - 1, -1) if toks[n].text == opening_mark), None
        )
        return opening - 1 if opening is not None else i

    def _past_attribute(self, k: int, hi: int) -> int:
        """Past a participle phrase between an article and its noun, opened by a preposition and closed
        by an inflected participle (die in New York geborene Lopez, der seit 1991 amtierende Vorsitzende),
        else k."""
        toks, lang = self.tokens, self.lang
        if k >= hi or toks[k].is_cap or toks[k].lower not in lang.stopwords:
            return k
        for n in range(k + 1, min(hi - 1, k + CHAIN)):
            tok = toks[n]
            if not tok.is_word:
                return k
            if not tok.is_cap and tok.lower.endswith(lang.adjective_endings) and toks[n + 1].is_cap:
                if tok.lower not in lang.stopwords and tok.lower not in lang.determiners:
                    return n + 1
        return k

    def _strong(self, run: Run) -> bool:
        return run.name is not None and (" " in run.name or run.titled or run.name in self.people)

    def _run_ending_at(self, i: int, lo: int) -> int:
        start = i
        while start - 1 >= lo and (
            self.tokens[start - 1].is_cap
            or self.tokens[start - 1].text == "."
            or self.tokens[start - 1].lower in self.lang.particles
        ):
            start -= 1
        while start < i and not self.tokens[start].is_word:
            start += 1
        return start

    def _first_person(self, lo: int, hi: int) -> str | None:
        """The first person named in tokens [lo, hi): the subject, in most sentences."""
        i = lo
        while i < hi:
            run = run_at(self.text, self.tokens, i, self.lang, hi)
            if run is None:
                i += 1
                continue
            if is_person(run, self.tokens, self.lang, self.people) and not run.governed:
                return run.name
            i = run.last + 1
        return None

    def _cue_phrase(self, i: int, hi: int) -> int | None:
        """If a multi-word cue ("according to") starts at token i, the token after it."""
        if self.tokens[i].lower not in _first_words(self.lang.cue_phrases):
            return None
        rest = self.text[self.tokens[i].start : self.tokens[min(hi, i + 6) - 1].end].lower()
        for phrase in self.lang.cue_phrases:
            if rest.startswith(phrase):
                end = self.tokens[i].start + len(phrase)
                return next((n for n in range(i, hi) if self.tokens[n].start >= end), hi)
        return None

    def _opens_with_subject(self, lo: int) -> bool:
        """Whether the clause at token lo opens with a pronoun or a person: its subject, in German."""
        if lo >= len(self.tokens):
            return False
        if self._pronoun(lo) is not None:
            return True
        run = run_at(self.text, self.tokens, lo, self.lang)
        return (
            run is not None and not run.governed and is_person(run, self.tokens, self.lang, self.people, True)
        )

    def _governs(self, k: int) -> bool:
        """Whether token k is a preposition (or contraction) whose object follows: in der ARD."""
        low = self.tokens[k].lower
        return low in self.lang.determiners or (
            low in self.lang.stopwords
            and low not in self.lang.articles
            and low not in self.lang.pronouns
            and low not in self.lang.reflexives  # zeigt sich der Bundestrainer zufrieden:
        )

    def _genitive_after(self, k: int) -> bool:
        """Whether an article after token k opens a genitive attribute: a noun before it (den Unmut der
        CDU), where every noun is capitalised, other than one for what was said (in einer Erklärung der
        Minister, whose genitive speaks)."""
        tok = self.tokens[k]
        return (
            self.lang.capitalises_nouns
            and tok.is_cap
            and tok.is_word
            and tok.lower not in self.lang.speech_nouns
        )
