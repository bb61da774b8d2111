"""Language data modules: one module per language, each defining ``LANGUAGE``.

A module holds only data: the words the language identifier counts, quotation marks, speech cue
words in their inflected forms, pronouns, abbreviations, and boilerplate phrases. Adding a language
is adding a module here (found by name, no registration) and its tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    stopwords: frozenset[str]
    """Frequent function words; the language identifier counts them."""
    quote_pairs: tuple[tuple[str, str], ...]
    """Quotation marks the language's press uses, (opening, closing); the scanner knows them all."""
    cue_verbs: frozenset[str]
    """Speech verbs in the inflected forms that introduce or follow a quotation (lowercase)."""
    cue_phrases: tuple[str, ...] = ()
    """Multi-word cues matched as text before a name or after a quotation ("according to")."""
    cue_preps: frozenset[str] = frozenset()
    """Single words that attribute what follows to the name after them ("selon", "laut")."""
    cue_postpositions: frozenset[str] = frozenset()
    """Those of cue_preps written after the name, not before it (ihm zufolge, der Polizei zufolge):
    no speaker is looked for after them in the sentence before a quotation."""
    inverted_cues: frozenset[str] = frozenset()
    """Words that attribute only right after a quotation ("so" in German: „…“, so Müller)."""
    pronouns: dict[str, str | None] = field(default_factory=dict)
    """Third-person subject pronouns -> gender ("m", "f", None) or "p", a plural (they, ils, loro): a
    group speaks, never the one person named before."""
    determiners: frozenset[str] = frozenset()
    """Articles and article-preposition contractions: before a quoted term they mark a name."""
    name_nouns: frozenset[str] = frozenset()
    """Nouns and participles that introduce a title or a name ("book", "Motto", "intitulé")."""
    reporting_moods: frozenset[str] = frozenset()
    """Verb forms that mark reported speech (German Konjunktiv: sei, habe, hätten): a quotation in such
    a sentence without a cue is the speaker's quoted or named just before, not the subject's."""
    speech_nouns: frozenset[str] = frozenset()
    """Nouns for what someone said, whose genitive names the speaker (das Fazit der Betreiber)."""
    particles: frozenset[str] = frozenset()
    """Lowercase words inside personal names ("von", "de", "di")."""
    honorifics: frozenset[str] = frozenset()
    """Titles written before a name and kept with it ("Mr", "M", "Frau")."""
    role_words: frozenset[str] = frozenset()
    """Capitalised role words and role suffixes that are not part of a name (lowercase)."""
    abbreviations: frozenset[str] = frozenset()
    """Words that end with a period without ending a sentence (lowercase, without the final period)."""
    months: frozenset[str] = frozenset()
    weekdays: frozenset[str] = frozenset()
    """Names of the days (lowercase): a capitalised word, never a speaker."""
    not_names: frozenset[str] = frozenset()
    """Capitalised words that open a sentence and never belong to a name (lowercase): a speaker
    found as "Yet Trump" or "Following Sanders" is Trump or Sanders, and "Speaking" alone is no one."""
    places: frozenset[str] = frozenset()
    """Names of places (lowercase, whole): a state, a country, a city is never a speaker."""
    institutions: frozenset[str] = frozenset()
    """Last words that make a capitalised run an institution ("Alabama Democratic Party", "Football
    League"): never whom "he" or "she" stands for."""
    place_words: frozenset[str] = frozenset()
    """Last words that make a capitalised run a place ("Aral Sea", "Orange County"): never a speaker."""
    boilerplate: tuple[str, ...] = ()
    """Regular expressions (matched case-insensitively at a paragraph's start) of non-article text."""
    articles: frozenset[str] = frozenset()
    """Articles, definite and indefinite, with their elided forms (l’)."""
    definite_articles: frozenset[str] = frozenset()
    possessives: frozenset[str] = frozenset()
    """Possessive determiners of the nominative that open a speaker's role (dessen Stellvertreter,
    ihr Anwalt)."""
    oblique_articles: frozenset[str] = frozenset()
    """Articles of cases that never open a speaker (German dative and genitive: in einem Interview)."""
    auxiliaries: frozenset[str] = frozenset()
    """Auxiliaries and adverbs that stand between a speaker and a cue verb (a déclaré, hat … gesagt)."""
    passive_auxiliaries: frozenset[str] = frozenset()
    """Auxiliaries that make a cue verb passive (was asked, were told): its subject is the one spoken
    to, the speaker is the agent after an agent_word (by), if any."""
    agent_words: frozenset[str] = frozenset()
    """The preposition before a passive verb's agent ("asked by the host")."""
    finite_auxiliaries: frozenset[str] = frozenset()
    """Finite auxiliaries that stand second in a clause, its subject right after them when something
    else opens it (German: Im Mai hatte Müller erklärt)."""
    conjunctions: frozenset[str] = frozenset()
    """Function words before a name that do not govern it, unlike prepositions (wie Müller, und Müller)."""
    clause_words: frozenset[str] = frozenset()
    """Conjunctions and relatives that open a new clause after a quotation, not an attribution."""
    verb_endings: tuple[str, ...] = ()
    """Endings of the verb forms that follow their subject (English past tense: "The spokesman refused"):
    a role phrase of three words or more ending with one is its subject and a verb that is no cue."""
    object_pronouns: frozenset[str] = frozenset()
    reflexives: frozenset[str] = frozenset()
    """Words between a cue verb and its subject: äußerte sich Müller, zitierte man X."""
    impersonal: frozenset[str] = frozenset()
    """The impersonal subject of "heißt es in dem Schreiben", "it says in the report"."""
    source_prepositions: frozenset[str] = frozenset()
    """Prepositions after an impersonal cue that introduce the document quoted."""
    list_words: frozenset[str] = frozenset()
    """Conjunctions between the items of a list („A“, „B“ oder „C“): quoted items are names."""
    adjective_endings: tuple[str, ...] = ()
    """Endings of inflected adjectives, in a language whose adjectives inflect before a noun."""
    self_naming: tuple[tuple[str, str], ...] = ()
    """Two words before a quoted term that make it a self-given name (das sich selbst „…“ nennt)."""
    honorific_genders: dict[str, str] = field(default_factory=dict)
    """Honorifics that tell a person's gender (Frau: "f", Herr: "m")."""
    first_names: dict[str, str] = field(default_factory=dict)
    """Common given names -> gender ("m", "f"), lowercase: "she" is not the "Donald Trump" named before."""
    feminine_endings: tuple[str, ...] = ()
    """Endings of role words for women (Ministerin, ministra)."""
    roles_have_gender: bool = False
    """Every role word has a form for women, so one without a feminine ending names a man (Minister)."""
    byline_prefixes: tuple[str, ...] = ()
    """Words that open a byline ("By", "Par", "Von")."""
    credit_prefixes: tuple[str, ...] = ()
    """Words that open a photo or image credit ("Photo:", "Foto:"): never a byline."""
    credit_words: tuple[str, ...] = ()
    """Words for a photo or its credit ("photo", "crédit", "foto"): a caption ending with one (or with
    an agency's name) is a photo caption, not the article's text."""
    relative_time: tuple[str, ...] = ()
    """Regular expressions of a relative time ("3 hours ago", "vor 2 Stunden"): a date line, never a
    headline."""
    article_end: tuple[str, ...] = ()
    """Regular expressions of the headings that open what follows an article ("Related articles",
    "Kommentare", "À lire aussi"), matched against a whole short block: the article ends there."""
    date_joiners: tuple[str, ...] = ()
    """Words between the parts of a written date ("de": 14 de marzo de 2024)."""
    time_prepositions: tuple[str, ...] = ()
    """Words between a date and its time in a dateline ("at", "à", "um", "a las")."""
    speaker_threshold: float = 0.55
    """A speaker less sure than this (digest.trim.quotes confidence, 0 to 1) is left out: no name
    rather than a wrong one. Chosen on the language's train split where there is one (English: the
    most speakers right with at most 5% wrong; German: the most named speakers right), else this."""
    elides: bool = False
    """Articles and prepositions elide before a vowel (l’actrice, dell’acqua): split them off."""
    drops_subject: bool = False
    """A verb may stand without a subject ("«…», dijo."): the speaker is then the person last named."""
    capitalises_nouns: bool = False
    """Every noun is capitalised (German), so capitals alone do not mark a name or a title, a lone
    capitalised word is a name only next to a cue verb, and the first word of a capitalised run after
    an article is a noun (der Flughafenmanager Vedat Muftuoglu)."""
    subject_after_verb: bool = False
    """A clause's subject may follow its verb (Der Zeitung sagte Filep Karma: „…“; dijo Sánchez): a
    person right after a cue verb may be its speaker. Where it may not (English), the person after
    the verb is its object: Jones told Mary Beth Smith that “…” is Jones speaking."""


def given_names(male: str, female: str) -> dict[str, str]:
    """Language.first_names from two lists of given names, separated by spaces."""
    return {**dict.fromkeys(male.split(), "m"), **dict.fromkeys(female.split(), "f")}


@cache
def languages() -> dict[str, Language]:
    """Every language module in this package, by code."""
    found: dict[str, Language] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        language = getattr(module, "LANGUAGE", None)
        if isinstance(language, Language):
            found[language.code] = language
    return found


def get(code: str | None) -> Language | None:
    return languages().get((code or "").lower().split("-")[0].split("_")[0]) if code else None


def boilerplate_phrases() -> list[str]:
    """Every language's boilerplate expressions, for one pattern that tests a paragraph once."""
    return [p for lang in languages().values() for p in lang.boilerplate]
