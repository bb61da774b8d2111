"""Who said a quotation: the cue after it, or the cue before it, and the name next to the cue.

Patterns, in the order tried:
  after   „…“, sagte Müller.   « … », a-t-il déclaré.   "…," said Smith.   "…," Smith said.
          „…“, so Müller.   « … », selon Borrell.   „…“, stellte Celebi fest.
  before  Müller sagte: „…“   Il a ajouté : « … »   Der Zeitung sagte Karma: „…“   Laut X „…“
          Smith told reporters: "…"   X erklärte, man habe „…“ (a cue earlier in the sentence)
          Im Mai hatte X erklärt: „…“ (German: the subject after the finite verb)   X („…“)
          In dem Antrag heißt es: „…“ (the document)   ein Zettel, auf dem stand: „…“ (the antecedent)
  subject a quoted fragment in a sentence about someone: Osterloh sieht darin einen „…“
A pronoun is returned as such (with its gender) for the caller to resolve against the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.text.marks import closing_marks, opening_marks
from digest.text.tokens import Token
from digest.trim.clause import ASIDE, CHAIN, SUBJECT_REACH, Clause
from digest.trim.names import is_person, is_role, run_at

MAX_GAP = 8  # a cue verb after a quotation comes within this many tokens of it
_POSSESSIVE = re.compile(r"['’]s$")
SIGNATURE_PLACES = frozenset("of from aus de di".split())  # "— Dana Whitlock of Ohio", "— Anna Berg aus Köln"
DESCRIPTION = (
    2  # lowercase words between a capitalised word and the name they describe (Virginia delegate Jo Kim)
)
APPOSITION = 16  # or after a name and an apposition of at most this many tokens between commas


@dataclass(frozen=True)
class Attribution:
    speaker: str | None = None
    cue: str | None = None
    pronoun: str | None = None
    """Set when the speaker is a pronoun (or an unstated subject) to resolve: "m", "f" or ""."""
    weak: bool = False
    """Found without a cue word (a verb this module does not list, or the sentence's subject)."""
    role: bool = False
    """The speaker is a role with a definite article (the minister, la científica): the caller may
    replace it with the name the article gave that person."""


class Attributor(Clause):
    """Finds attributions in one paragraph, given its tokens and the people the article names."""

    # -- names ---------------------------------------------------------------------------------

    def _name_right(self, j: int, hi: int, governed: bool = False) -> Attribution | None:
        """The speaker that starts at token j, after a cue (sagte Müller, said the minister); governed by
        a cue preposition (laut einem Jury-Mitglied, nach Angaben einer Gewerkschaft), a role may take
        the article of any case."""
        toks, lang = self.tokens, self.lang
        if governed and j + 1 < hi and toks[j].lower in lang.source_prepositions:
            j += 1  # nach Bewertung von Polizei und Staatsanwaltschaft, nach Angaben aus Regierungskreisen
        if j >= hi:
            return None
        gender = self._pronoun(j)
        if gender is not None and not (toks[j].is_cap and j + 1 < hi and toks[j + 1].is_cap):
            return Attribution(pronoun=gender)
        while j < hi and toks[j].lower in lang.reflexives:
            j += 1  # äußerte sich Müller, se félicite X, zitierte man Yolanda Alvarez
        if j + 2 < hi and toks[j].lower in lang.impersonal and toks[j + 1].lower in lang.source_prepositions:
            # „…“, heißt es in dem Schreiben / in einer Erklärung: the document speaks
            k = j + 2
            while k < hi and toks[k].is_word and (toks[k].lower in lang.articles or not toks[k].is_cap):
                k += 1
            run = run_at(self.text, toks, k, lang, hi) if k < hi else None
            if run is None:
                return None
            if is_person(run, toks, lang, self.people):
                return Attribution(speaker=run.name)  # hieß es vom Abgeordneten X
            return Attribution(speaker=self._span(j + 2, run.last))
        if j >= hi:
            return None
        outlet = j + 1 if toks[j].lower in lang.articles else j
        if outlet + 2 < hi and toks[outlet].text in opening_marks():
            close = next(
                (n for n in range(outlet + 1, min(hi, outlet + 8)) if toks[n].text in closing_marks()), None
            )
            if close is not None and close > outlet + 1:  # schrieb „Die Zeit“, schreibt die „Computerwoche“
                return Attribution(speaker=self._span(outlet + 1, close - 1))
        possessive = toks[j].lower in lang.possessives and j + 1 < hi and is_role(toks[j + 1].text, lang)
        k = j + 1 if possessive or toks[j].lower in lang.articles else j  # Der 23-jährige Sportler
        while (
            k < hi
            and k - j < 4
            and toks[k].is_word
            and not toks[k].is_cap
            and (
                toks[k].lower in lang.articles
                or (toks[k].lower not in lang.stopwords and toks[k].lower not in lang.determiners)
            )
        ):
            k += 1  # articles and adjectives before a name or a capitalised noun
        if k == j + 1 and toks[j].lower in lang.articles and lang.capitalises_nouns:
            k = self._past_attribute(k, hi)  # die in New York City geborene Lopez
        run = run_at(self.text, toks, k, lang, hi) if k < hi else None
        article = possessive or (  # dessen Stellvertreter, ihr Anwalt
            toks[j].lower in lang.articles and (governed or toks[j].lower not in lang.oblique_articles)
        )
        if run is None:
            if k + 1 < hi and toks[k].text == ",":  # la vicepresidenta segunda, Yolanda Díaz
                other = run_at(self.text, toks, k + 1, lang, hi)
                if other is not None and is_person(other, toks, lang, self.people):
                    return Attribution(speaker=other.name)
            if article and k > j + 1:
                return Attribution(speaker=self._span(j, k - 1), role=True)  # the prosecutor, le ministre
            return None
        described = self._described(run.last + 1, hi)
        name = run.name or ""
        lone = " " not in name and name not in self.people
        if described is not None and (lone or name.lower() in lang.places):
            return Attribution(speaker=described)  # said Virginia delegate Jo Kim: not Virginia
        if is_person(run, toks, lang, self.people, next_to_cue=k == j):
            return Attribution(speaker=run.name)
        if described is not None:
            return Attribution(speaker=described)
        if toks[run.last].lower in lang.speech_nouns and run.last + 1 < hi:
            # so das Fazit der Betreiber, nach den Vorwürfen der Anwältin: whose words they are
            speaker = self._name_right(run.last + 1, hi, governed=True)
            if speaker is not None and speaker.speaker:
                return speaker
        # a role: a name may follow in a genitive chain or an apposition (der Trainer der Frankfurter,
        # Michael Skibbe; die Geschäftsführerin der Organisation, Manuela Roßbach)
        nxt = run.last + 1
        while nxt + 1 < min(hi, run.last + CHAIN):
            if (
                toks[nxt].lower in lang.determiners
                or toks[nxt].lower in lang.particles
                or toks[nxt].text == ","
            ):
                other = run_at(self.text, toks, nxt + 1, lang, hi)
                if other is not None and is_person(other, toks, lang, self.people):
                    return Attribution(speaker=other.name)
                if other is None or toks[nxt].text == ",":
                    break
                nxt = other.last + 1
            else:
                break
        if article:
            return Attribution(speaker=self._span(j, run.last), role=True)
        if k == j and run.name is None and is_role(toks[run.first].text, lang):
            return Attribution(speaker=self._span(j, run.first), role=True)  # warnten Vertreter der Verbände
        return None

    def _described(self, k: int, hi: int) -> str | None:
        """The person named after a capitalised word and a description in lowercase starting at token
        k: said Virginia delegate Jo Kim, said Democratic strategist Jo Kim (where only names are
        capitalised)."""
        toks, lang = self.tokens, self.lang
        if lang.capitalises_nouns:
            return None
        n = k
        while n < min(hi, k + DESCRIPTION) and toks[n].is_word and not toks[n].is_cap:
            if toks[n].lower in lang.stopwords or toks[n].lower in lang.determiners:
                return None
            n += 1
        if n == k or n >= hi:
            return None
        other = run_at(self.text, toks, n, lang, hi)
        return other.name if other is not None and is_person(other, toks, lang, self.people) else None

    def _weak_name(self, found: Attribution) -> bool:
        """A lone capitalised word taken for a name only for its place (Relativierend fügt Gall hinzu)."""
        return found.speaker is not None and " " not in found.speaker and found.speaker not in self.people

    def _name_left(self, k: int, lo: int, roles: bool = True) -> Attribution | None:
        """The subject written before the verb group starting at token k (Müller sagte, Blinken a déclaré);
        with roles=False only a person or a pronoun."""
        toks, lang = self.tokens, self.lang
        i = self._before_aside(k - 1, lo)
        if i < lo:
            return None
        if (
            i - 1 >= lo
            and toks[i].is_word
            and not toks[i].is_cap
            and toks[i - 1].is_cap
            and toks[i - 1].is_word
        ):
            run = run_at(self.text, toks, self._run_ending_at(i - 1, lo), lang, i)
            if run is not None and _POSSESSIVE.search(toks[i - 1].text):
                return Attribution(speaker=f"{toks[i - 1].text} {toks[i].text}")  # Clinton's campaign said
            if run is not None and is_person(run, toks, lang, self.people):
                return Attribution(speaker=run.name)  # hatte Koch-Mehrin damals gesagt
        gender = self._pronoun(i)
        if gender is not None:
            return Attribution(pronoun=gender)
        if toks[i].text == ",":
            # an apposition: "the chief, Mark Rutte, said"
            # "Andres Granier, der Gouverneur von Tabasco, sagte": the name right before the first comma
            comma = next((c for c in range(i - 1, lo - 1, -1) if toks[c].text == ","), None)
            if comma is not None and comma - 1 >= lo and toks[comma - 1].is_cap:
                outer = run_at(self.text, toks, self._run_ending_at(comma - 1, lo), lang, comma)
                if outer is not None and not outer.governed and is_person(outer, toks, lang, self.people):
                    return Attribution(speaker=outer.name)
            inner = self._first_person(comma + 1 if comma is not None else lo, i)
            if inner is None and comma is not None:
                inner = self._first_person(lo, comma)
            return Attribution(speaker=inner) if inner else None
        if toks[i].is_cap:
            start = self._run_ending_at(i, lo)
            run = run_at(self.text, toks, start, lang, i + 1)
            if run is None:
                return None
            initial = start == lo or not toks[start - 1].is_word
            if not run.governed and is_person(run, toks, lang, self.people, next_to_cue=initial):
                return Attribution(speaker=run.name)
            if not roles:
                return None
            # a role that opens its clause: "Der Staatsanwalt sagte", not "In der Unionsfraktion sagte"
            article = start if toks[start].lower in lang.articles else start - 1
            if (
                article >= lo
                and toks[article].lower in lang.articles
                and toks[article].lower not in lang.oblique_articles
                and (article == lo or not toks[article - 1].is_word)
            ):
                return Attribution(speaker=self._span(article, i))
            return None
        if not roles:
            return None
        start = i  # a lowercase role: "the prosecutor said", "le ministre a déclaré"
        while (
            start - 1 >= lo
            and start > i - 3
            and toks[start - 1].is_word
            and toks[start - 1].lower not in lang.clause_words
        ):
            start -= 1
            if toks[start].lower in lang.articles:
                if toks[start].lower in lang.oblique_articles:
                    return None  # nach dem Spielende und sagte: an object, not a subject
                return Attribution(speaker=self._span(start, i))
        return None

    # -- patterns ------------------------------------------------------------------------------

    def after(self, i: int, hi: int) -> Attribution | None:
        """The attribution that follows a quotation whose closing mark is just before token i."""
        toks, lang = self.tokens, self.lang
        start = i
        while i < hi and toks[i].text in ",;–—―-":
            i += 1
        if i >= hi or not toks[i].is_word:
            return None
        if i > start and (toks[i - 1].text in "–—―" or self._spaced_hyphen(toks[i - 1])):
            signed = self._signature(i, hi)
            if signed is not None:
                return signed
        tok = toks[i]
        if tok.lower in lang.inverted_cues or tok.lower in lang.cue_preps:
            j = i + 1
            if j < hi and toks[j].is_word and not toks[j].is_cap and toks[j].lower not in lang.determiners:
                j += 1  # „…“, so charakterisierte ihn der Funktionär …
                while j < hi and toks[j].lower in lang.object_pronouns:
                    j += 1
            found = self._name_right(j, hi, governed=tok.lower in lang.cue_preps)
            return Attribution(found.speaker, tok.text, found.pronoun, role=found.role) if found else None
        apposed = self._apposed(i, hi)
        if apposed is not None:
            return apposed
        phrase_end = self._cue_phrase(i, hi)
        if phrase_end is not None:
            found = self._name_right(phrase_end, hi, governed=True)
            cue = self._span(i, phrase_end - 1)
            return Attribution(found.speaker, cue, found.pronoun, role=found.role) if found else None
        for k in self._gap_after(i, hi):
            if toks[k].is_word and self._is_cue(k):
                return self._around_cue(k, i, hi)
            if toks[k - 1].text == "," and (
                toks[k].lower in lang.inverted_cues or toks[k].lower in lang.cue_preps
            ):
                found = self._name_right(k + 1, hi)  # „…“ beenden, so Rice.
                if found is not None:
                    return Attribution(found.speaker, toks[k].text, found.pronoun, role=found.role)
            if not toks[k].is_word and toks[k].text not in ".,-()":
                break
        # „…“, beschreibt ein Reporter das Ereignis: a verb this module does not list, then a name
        if not tok.is_cap and tok.lower not in lang.clause_words and tok.lower not in lang.stopwords:
            found = self._name_right(i + 1, min(hi, i + 6))
            if found is not None and found.speaker:
                return Attribution(found.speaker, tok.text, None, weak=True)
        return None

    def _past_lowercase_role(self, i: int, hi: int) -> int:
        """The token after an article and a role in lowercase opening at token i ("the economist",
        "the state's chief economist"), where a name may follow; else i."""
        toks, lang = self.tokens, self.lang
        if toks[i].lower not in lang.articles:
            return i
        j = i + 1
        while j < min(hi, i + 4) and toks[j].is_word and not toks[j].is_cap:
            if is_role(toks[j].text, lang) and j + 1 < hi and toks[j + 1].is_cap:
                return j + 1
            j += 1
        return i

    def _gap_after(self, i: int, hi: int) -> list[int]:
        """The tokens where a cue verb may stand after a quotation: MAX_GAP of them from token i, not
        counting a short parenthesis between a name and its verb ("…," Jo Kim (D-Ore.) said)."""
        toks, k = self.tokens, i
        out: list[int] = []
        while k < hi and len(out) < MAX_GAP:
            if toks[k].text == "(":
                close = next((n for n in range(k + 1, min(hi, k + ASIDE + 2)) if toks[n].text == ")"), None)
                if close is not None:
                    k = close + 1
                    continue
            out.append(k)
            k += 1
        return out

    def _apposed(self, i: int, hi: int) -> Attribution | None:
        """ "…," Jane Doe, the chair of the county party, said: a person, an apposition between commas
        (too long for the cue to be looked for after the name), then the cue verb. The person may
        follow a role in lowercase: "…," the economist Jane Doe, a former adviser, wrote."""
        toks = self.tokens
        i = self._past_lowercase_role(i, hi)
        if not toks[i].is_cap or "," not in self.text[toks[i].end : toks[min(hi, i + 6) - 1].end + 1]:
            return None  # no capitalised name followed by a comma: the cheap test first
        run = run_at(self.text, toks, i, self.lang, hi)
        if run is None or run.last + 2 >= hi or toks[run.last + 1].text != ",":
            return None
        for m in range(run.last + 2, min(hi - 1, run.last + 2 + APPOSITION)):
            if toks[m].text == ",":
                c = m + 1
                while c < hi - 1 and toks[c].lower in self.lang.auxiliaries:
                    c += 1  # has said, also said
                if toks[c].is_word and self._is_cue(c) and is_person(run, toks, self.lang, self.people, True):
                    return Attribution(run.name, self._span(m + 1, c))
                return None
            if not toks[m].is_word and toks[m].text not in "-’'.&":
                return None
        return None

    def _signature(self, i: int, hi: int) -> Attribution | None:
        """ "…" ― Jane Doe: a dash after a quotation, then a person's name and nothing more of the
        sentence (a vox-pop line, a signed quotation), or only the person's role after a comma."""
        run = run_at(self.text, self.tokens, i, self.lang, hi)
        if run is None or not is_person(run, self.tokens, self.lang, self.people, next_to_cue=True):
            return None
        nxt = run.last + 1
        if nxt >= hi or self.tokens[nxt].text in ",.;:)(" or not self.tokens[nxt].is_word:
            return Attribution(speaker=run.name)
        if self.tokens[nxt].lower in SIGNATURE_PLACES and nxt + 1 < hi and self.tokens[nxt + 1].is_cap:
            return Attribution(speaker=run.name)  # "…" - Dana Whitlock of Ohio
        return None

    def _spaced_hyphen(self, tok: Token) -> bool:
        """A hyphen standing for a dash, with a space on each side: "…" - Jane Doe."""
        return (
            tok.text == "-"
            and self.text[tok.end : tok.end + 1] == " "
            and (tok.start == 0 or self.text[tok.start - 1 : tok.start] == " ")
        )

    def _around_cue(self, k: int, lo: int, hi: int) -> Attribution | None:
        """After a quotation: the speaker before the cue verb k (Smith said) or after it (said Smith)."""
        aux = self._aux_start(k, lo)
        cue = self._span(aux, k)
        if self._passive(aux, k):
            return self._agent(k, hi, cue)
        inverted = next((g for g in map(self._inverted, range(aux, k + 1)) if g is not None), None)
        if inverted is not None:
            return Attribution(cue=cue, pronoun=inverted)
        if aux > lo:
            found = self._name_left(aux, lo)
            if found is not None:
                return Attribution(found.speaker, cue, found.pronoun, role=found.role)
            if self.tokens[lo].lower in self.lang.auxiliaries:
                # „…“, hatte VW-Chef Winterkorn in einem Interview erklärt: the subject after the auxiliary
                found = self._name_right(lo + 1, k)
                if found is not None:
                    return Attribution(found.speaker, cue, found.pronoun, role=found.role)
        if aux > lo and not self.lang.subject_after_verb and self.tokens[aux - 1].is_word:
            return None  # "…,” his childhood friend told the Daily Beast: a subject stands before the verb
        found = self._name_right(k + 1, hi)
        if found is not None:
            return Attribution(found.speaker, cue, found.pronoun, role=found.role)
        if aux == lo and self.lang.drops_subject:
            return Attribution(cue=cue, pronoun="")  # "dijo." / "ha detto." — the subject is unstated
        return None

    def before(self, lo: int, i: int) -> Attribution | None:
        """The attribution in the sentence before a quotation whose opening mark is token i."""
        toks, lang = self.tokens, self.lang
        if i <= lo:
            return None
        if i - 2 >= lo and toks[i - 1].text in ":(" and toks[i - 2].is_cap:
            run = run_at(self.text, toks, self._run_ending_at(i - 2, lo), lang, i - 1)
            spoken_to = (
                run is not None
                and run.first > lo
                and self._is_cue(run.first - 1)
                and self._object_after(lo, run.first - 1)
            )
            if (
                run is not None
                and not run.governed
                and not spoken_to
                and is_person(run, toks, lang, self.people)
            ):
                # …, und der Ministerpräsident Jens Stoltenberg: „…“; der Leiter, Mohammed ElBaradei („…“)
                return Attribution(speaker=run.name)
        for k in range(i - 1, lo - 1, -1):
            tok = toks[k]
            phrase_end = self._cue_phrase(k, i) if tok.is_word else None
            if phrase_end is not None:
                found = self._name_right(phrase_end, i, governed=True)
                if found is not None:
                    return Attribution(
                        found.speaker, self._span(k, phrase_end - 1), found.pronoun, role=found.role
                    )
            if tok.lower in lang.cue_preps and tok.lower not in lang.cue_postpositions:
                found = self._name_right(k + 1, i, governed=True)
                if found is not None:
                    return Attribution(found.speaker, tok.text, found.pronoun, role=found.role)
            if tok.is_word and self._is_cue(k):
                aux = self._aux_start(k, lo)
                cue = self._span(aux, k)
                inverted = next((g for g in map(self._inverted, range(aux, k + 1)) if g is not None), None)
                if inverted is not None:
                    return Attribution(cue=cue, pronoun=inverted)
                if self._passive(aux, k):
                    return self._agent(k, i, cue)
                source = self._document(lo, aux, k, i)
                if source is not None:
                    return Attribution(source, cue)
                left = self._name_left(aux, lo, roles=False)
                if left is None:
                    left = self._antecedent(aux, lo)  # ein Zettel, auf dem geschrieben stand: „…“
                if left is None and aux > lo and toks[aux - 1].lower in lang.list_words:
                    person = self._first_person(lo, aux - 1)  # X befand … und nannte es „…“
                    if person is not None:
                        return Attribution(person, cue, None)
                if left is None and not self._opens_with_subject(lo):
                    found = self._after_finite(lo, aux)  # Im Dezember hatte Kanzlerin X verkündet: „…“
                    if found is not None:
                        return Attribution(found.speaker, cue, found.pronoun, role=found.role)
                right = (
                    run_at(self.text, toks, self._subject_after(k + 1, i), lang, i)
                    if lang.subject_after_verb
                    else None
                )
                if right is not None and not is_person(right, toks, lang, self.people, next_to_cue=True):
                    right = None
                if left is not None and not (
                    right is not None and self._weak_name(left) and self._strong(right)
                ):
                    return Attribution(left.speaker, cue, left.pronoun)
                if right is not None:  # inversion: Der Zeitung sagte Filep Karma: „…“
                    return Attribution(right.name, cue, None)
                right_role = self._name_right(k + 1, i)
                if right_role is not None and not right_role.role and self._object_after(lo, aux):
                    right_role = None  # Meeks said Clinton reassured them that "…": whom he spoke of
                if right_role is not None and right_role.role:
                    # erläutert die Arbeitshypothese so: the object; a person opening the clause speaks
                    person = self._first_person(lo, min(aux, lo + SUBJECT_REACH))
                    if person is not None:
                        right_role = Attribution(speaker=person)
                for found in (self._name_left(aux, lo), right_role, self.subject(lo, aux, cued=True)):
                    if found is not None:
                        return Attribution(found.speaker, cue, found.pronoun, role=found.role)
                person = self._first_person(lo, aux)
                if person is not None:
                    return Attribution(person, cue, None)
                return Attribution(cue=cue, pronoun="") if lang.drops_subject else None
        if toks[i - 1].text == ":":  # a colon is a cue: its clause's subject is the speaker
            found = (
                (None if self._opens_with_subject(lo) else self._after_finite(lo, i - 1))
                or self.subject(lo, i - 1, cued=True)
                or self._first_role(lo, i - 1)
            )
            return Attribution(found.speaker, None, found.pronoun, role=found.role) if found else None
        return None

    def _passive(self, aux: int, k: int) -> bool:
        """Whether the verb group from aux to the cue verb k is passive: "was asked", "were told"."""
        return any(self.tokens[n].lower in self.lang.passive_auxiliaries for n in range(aux, k))

    def _agent(self, k: int, hi: int, cue: str) -> Attribution:
        """The speaker of a passive cue verb k: its agent, a person right after "by" (was asked by
        host Jo Kim), else none; its subject is whom the words were spoken to."""
        j = k + 1
        if j + 1 < hi and self.tokens[j].lower in self.lang.agent_words:
            found = self._name_right(j + 1, hi)
            if found is not None and found.speaker:
                return Attribution(found.speaker, cue, role=found.role)
        return Attribution(cue=cue)

    def _object_after(self, lo: int, aux: int) -> bool:
        """Whether a person after the cue verb at aux is its object or the subject of what was said,
        not its speaker: where subjects do not follow their verb (English) and a subject stands before
        it, right before it (Meeks said Clinton …, Meeks (D-N.Y.) said Clinton …; but “…,” said Jo Kim,
        a lawyer: “…”, and the inverted The paradox, said Jo Kim, is “…”)."""
        if self.lang.subject_after_verb or aux <= lo:
            return False
        before = self.tokens[aux - 1]
        return before.is_word or before.text in ")—–"

    def _document(self, lo: int, aux: int, k: int, i: int) -> str | None:
        """The document an impersonal cue quotes from, opening its clause: In dem Antrag heißt es: „…“"""
        toks, lang = self.tokens, self.lang
        if not (
            k + 1 < i and toks[k + 1].lower in lang.impersonal and toks[lo].lower in lang.source_prepositions
        ):
            return None
        end = next((n for n in range(lo + 1, aux) if toks[n].text == ","), aux)
        return self._span(lo + 1, end - 1) if end > lo + 1 else None

    def _antecedent(self, k: int, lo: int) -> Attribution | None:
        """The noun a relative clause ending at token k refers to (…, der sagte; …, auf dem stand)."""
        toks, lang = self.tokens, self.lang
        r = k - 1
        if r - 1 < lo or toks[r].lower not in lang.articles:
            return None
        comma = r - 1 if toks[r - 1].text == "," else r - 2
        if comma - 1 < lo or toks[comma].text != ",":
            return None
        noun = comma - 1
        while noun > lo and noun > comma - 3 and not toks[noun].is_cap and toks[noun].is_word:
            noun -= 1  # past the verb of the clause the noun ends: ein Zettel kleben, auf dem
        if lo < noun < comma - 1 and toks[noun].is_cap and toks[noun - 1].lower in lang.articles:
            return Attribution(speaker=self._span(noun - 1, noun), role=True)
        return self._name_left(comma, lo)

    def _after_finite(self, lo: int, hi: int) -> Attribution | None:
        """The subject right after a clause's finite auxiliary when something else opens the clause
        (Bereits im Dezember hatte Kanzlerin X in einer Rede verkündet; Dabei hatte sich X … lassen)."""
        toks, lang = self.tokens, self.lang
        for t in range(lo + 1, hi - 1):
            if toks[t].lower in lang.finite_auxiliaries:
                j = self._subject_after(t + 1, hi)
                if (
                    j >= hi
                    or toks[j].lower in lang.oblique_articles
                    or (j > t + 1 and toks[j - 1].lower in lang.oblique_articles)
                ):
                    return None  # hatte dem Minister X geschrieben: an object
                found = self._name_right(t + 1, hi)
                return found if found is not None and found.speaker else None
        return None

    def _first_role(self, lo: int, i: int) -> Attribution | None:
        """The first role named with a nominative article in tokens [lo, i): Hier sparte der
        Bundespräsident nicht mit Kritik: „…“"""
        for k in range(lo, i):
            if (
                self.tokens[k].lower in self.lang.articles
                and self.tokens[k].lower not in self.lang.oblique_articles
                and (k == lo or not (self._governs(k - 1) or self._genitive_after(k - 1)))
            ):
                found = self._name_right(k, i)
                if found is not None and found.speaker:
                    return found
        return None

    def subject(self, lo: int, i: int, cued: bool = False) -> Attribution | None:
        """The sentence's subject before token i: a pronoun opening it, the first person it names, or a
        role opening it (Der Bundespräsident konstatierte eine „…“). Without a cue verb in the sentence
        (cued=False) the result is weak."""
        if i <= lo:
            return None
        gender = self._pronoun(lo)
        if gender is not None:
            return Attribution(pronoun=gender)
        if cued:
            run = run_at(self.text, self.tokens, lo, self.lang, i)
            if (
                run is not None
                and not run.governed
                and is_person(run, self.tokens, self.lang, self.people, True)
            ):
                return Attribution(speaker=run.name)  # Stoiber hatte … betont: „…“
        person = self._first_person(lo, min(i, lo + SUBJECT_REACH))
        if person is not None:
            return Attribution(speaker=person, weak=not cued)
        if (
            self.tokens[lo].lower in self.lang.articles
            and self.tokens[lo].lower not in self.lang.oblique_articles
        ):
            role = self._name_right(lo, i)  # Der italienische Innenminister zeigte sich besorgt: „…“
            speaker = role.speaker if role is not None else None
            head = speaker.split()[-1] if speaker else ""
            if head and (cued or head[:1].isupper() or is_role(head, self.lang)):  # not "The sign read"
                return Attribution(speaker=speaker, weak=not cued)
        if cued and self.tokens[lo].is_cap:
            role = self._name_right(lo, i)
            if role is not None and role.speaker:
                return role
            if (
                self.lang.capitalises_nouns
                and i - lo <= SUBJECT_REACH
                and self.tokens[i - 1].is_cap
                and self.tokens[i - 1].is_word
                and i - lo >= 2
                and (self.tokens[lo].lower in self.lang.articles or not self._governs(lo))
            ):
                # the whole first constituent before the verb: Einer der 13 beteiligten Feuerwehrmänner sagte
                return Attribution(speaker=self._span(lo, i - 1), role=True)
        return None
