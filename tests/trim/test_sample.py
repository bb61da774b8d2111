"""Acceptance on the demo's sample article: scraped French text with an English caption and a credit."""

import pytest

from digest.ingest.folder import read_article
from digest.trim import trim
from digest.trim.quotes import find_quotes
from tests import ROOT

SAMPLE = ROOT / "samples" / "articles" / "000_587257c50a9a4e63.txt"


@pytest.fixture(scope="module")
def article():
    return read_article(SAMPLE)


def test_title_language_and_lede(article):
    brief = trim(article)
    assert (
        brief.title
        == "Blinken à Bruxelles alors que l’Ukraine fait face à l’incertitude avec le retour de Trump"
    )
    assert brief.language == "fr"
    assert brief.lede.startswith("Le secrétaire d’État américain Antony Blinken s’est rendu à Bruxelles")


def test_lede_holds_no_caption_credit_or_comment_form(article):
    lede = trim(article, lede_words=200).lede
    for foreign in (
        "United States Secretary of State",
        "Milos Schmidt",
        "Laisser un commentaire",
        "sept + vingt",
    ):
        assert foreign not in lede
    assert article.caption.startswith("United States Secretary of State Antony Blinken speaks")
    assert all("commentaire" not in p and "vingt =" not in p for p in article.paragraphs)


def test_quotations_are_attributed_to_borrell_and_blinken(article):
    quotes = find_quotes(article)
    speakers = {q.text.split()[0]: q.speaker for q in quotes}
    assert speakers["Maintenant,"] == "Borrell"  # after "Il a ajouté :"
    assert speakers["Nous"] == "Blinken"  # "…», a-t-il déclaré."
    assert speakers["Le"] == "Blinken"  # "…», a déclaré Blinken"


def test_scare_quotes_are_not_quotations(article):
    texts = [q.text for q in find_quotes(article)]
    assert not any("temps troublés" == t or "reconnaissant" == t for t in texts)
    assert len(texts) == 3
