"""Language identification, the language data modules, and ledes."""

import pkgutil

import pytest

import digest.text.lang as lang_package
from digest.domain import Article
from digest.text.lang import Language, languages
from digest.text.language import detect
from digest.trim import trim
from digest.trim.lede import cut

SENTENCES = {
    "en": "The council said on Tuesday that the new buses would run every night from March.",
    "fr": "Le conseil a annoncé mardi que les nouveaux bus circuleraient chaque nuit à partir de mars.",
    "de": "Der Rat teilte am Dienstag mit, dass die neuen Busse ab März jede Nacht fahren werden.",
    "es": "El consejo dijo el martes que los nuevos autobuses circularán cada noche a partir de marzo.",
    "it": "Il consiglio ha detto martedì che i nuovi autobus circoleranno ogni notte a partire da marzo.",
}


@pytest.mark.parametrize(("code", "text"), SENTENCES.items())
def test_detects_each_language_from_one_sentence(code, text):
    assert detect(text) == code


def test_too_little_text_is_no_language():
    assert detect("") is None and detect("Antony Blinken") is None


def test_every_module_in_the_package_is_a_language():
    modules = {info.name for info in pkgutil.iter_modules(lang_package.__path__)}
    assert set(languages()) == modules >= {"en", "fr", "de", "es", "it"}
    for code, language in languages().items():
        assert isinstance(language, Language) and language.code == code
        assert language.stopwords and language.quote_pairs and language.cue_verbs and language.pronouns
        assert language.abbreviations and language.boilerplate


def test_brief_language_comes_from_detection_unless_given():
    article = Article(title="Buses", paragraphs=[SENTENCES["it"]])
    assert trim(article).language == "it"
    article.language = "fr"
    assert trim(article).language == "fr"


def test_lede_is_cut_at_a_sentence_boundary_within_the_budget():
    text = "One two three four five. Six seven eight nine ten. Eleven twelve."
    assert cut(text, 10) == "One two three four five. Six seven eight nine ten."
    assert cut(text, 9) == "One two three four five."


def test_a_first_sentence_over_the_budget_is_cut_at_a_word_with_an_ellipsis():
    assert cut("One two three four five six seven, eight nine.", 7) == "One two three four five six seven…"


def test_lede_prefers_the_standfirst_and_skips_short_paragraphs():
    article = Article(title="T", paragraphs=["By Jane Roe", SENTENCES["en"]], language="en")
    assert trim(article).lede == SENTENCES["en"]
    article.standfirst = "Night buses from March, the council decided after two years of debate."
    assert trim(article).lede == article.standfirst
