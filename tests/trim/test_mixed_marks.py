"""Mixed quotation marks (a straight mark opening, a curly one closing, or the other way round) are
quotations like any other."""

from digest.domain import Article
from digest.text.marks import scan
from digest.trim.quotes import find_quotes


def test_a_straight_opening_and_a_curly_closing_mark_pair():
    text = 'She said: "We will wait until the survey is done” before deciding.'
    [span] = scan(text).spans
    assert text[span.start + 1 : span.end - 1] == "We will wait until the survey is done"


def test_a_curly_opening_and_a_straight_closing_mark_pair():
    text = '“The bridge stays closed until the inspectors say otherwise," said engineer Tomas Reyes.'
    [quote] = find_quotes(Article(title="Bridge", paragraphs=[text], language="en"))
    assert quote.text == "The bridge stays closed until the inspectors say otherwise"
    assert quote.speaker == "Tomas Reyes"
