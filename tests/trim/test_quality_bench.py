"""The scoring rules of bench/trim_quality.py, as the eval READMEs state them (invented examples)."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "trim_quality.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("trim_quality", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_words_are_nfkc_casefolded_with_soft_hyphens_and_curly_quotes_undone(bench):
    assert bench.words("Deutsch\xadland’s ﬁrst “Pier”") == ["deutschland", "s", "first", "pier"]


def test_quotes_match_by_jaccard_or_containment_best_first(bench):
    gold = [bench.words("we will rebuild the pier this year"), bench.words("the ferry runs again in May")]
    found = [bench.words("the ferry runs again in May, he said"), bench.words("we will rebuild the pier")]
    assert sorted(bench.pairs(found, gold)) == [(0, 1), (1, 0)]
    assert bench.overlap(bench.words("nothing in common here"), bench.words("the ferry runs")) == 0.0


def test_an_english_speaker_is_right_by_its_last_word_or_a_name_not_a_title(bench):
    gold = {"speaker": "she", "speaker_name": "Dana Whitlock"}
    assert bench._en_speaker("Dana Whitlock", gold) == "right"
    assert bench._en_speaker("Sen. Whitlock", gold) == "right"
    assert bench._en_speaker("Whitlock's", gold) == "right"
    assert bench._en_speaker("Omar Haddad", gold) == "wrong"
    assert bench._en_speaker("she", gold) == "none" and bench._en_speaker(None, gold) == "none"


def test_the_scraped_folds_are_by_site_and_stable(bench):
    assert bench.fold("example.org") == bench.fold("example.org")
    assert {bench.fold(f"site{n}.example") for n in range(50)} == set(range(bench.FOLDS))
