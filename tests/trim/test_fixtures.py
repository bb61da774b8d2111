"""Every labelled fixture (tests/fixtures/trim/<language>/): title, language, lede and each quotation
with its speaker, as the article's reader would name them; nothing else returned as a quotation."""

import json

import pytest

from digest.ingest.folder import read_article
from digest.trim import trim
from digest.trim.quotes import find_quotes
from tests import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "trim"
CASES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".html", ".md"))


def test_five_fixtures_per_language():
    counts: dict[str, int] = {}
    for path in CASES:
        counts[path.parent.name] = counts.get(path.parent.name, 0) + 1
    assert set(counts) >= {"en", "fr", "de", "es", "it"}
    assert all(n >= 5 for n in counts.values())


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture(path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    article = read_article(path)
    brief = trim(article)
    assert brief.title == expected["title"]
    assert brief.language == expected["language"]
    assert brief.lede == expected["lede"]
    found = [(q.text, q.speaker) for q in find_quotes(article, brief.language)]
    assert found == [(q["text"], q["speaker"]) for q in expected["quotes"]]
