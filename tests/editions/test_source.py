"""The article beside its brief: where the lede and the quotes stand in it (found as the quote check
finds them), and the speaker proposed for a passage an editor selects there."""

from __future__ import annotations

from dataclasses import replace

import pytest

from digest.domain import Article, Brief, Quote
from digest.editions.quotecheck import locate
from digest.editions.source import LEDE, QUOTE, Mark, passage_in, source_of, speaker_at
from digest.errors import Invalid
from digest.ingest.folder import read_article
from digest.trim import trim
from tests import ROOT

ARTICLE = Article(
    "Rain at last",
    [
        "The mayor spoke on Monday. “We have waited   for this rain\nfor three years,” she said.",
        "“The reservoirs are low.",
        "“They will not fill this winter,” the engineer warned.",
    ],
    standfirst="A dry region gets its first rain in years.",
    id=3,
)
HARBOUR = replace(read_article(ROOT / "samples/articles/en-harbour-wind-farm.md"), id=7)


def _marked(source) -> list[tuple[str, tuple[Mark, ...]]]:
    return [(piece.text, piece.marks) for pieces in source.paragraphs for piece in pieces if piece.marks]


def test_the_lede_and_each_quote_are_marked_where_they_stand_whatever_their_marks_and_spacing():
    brief = Brief(
        "Rain at last",
        lede="The mayor spoke on Monday.",
        quotes=[Quote('"We have waited for this rain for three years,"', "Ann Lee")],  # straight marks, one line
    )
    source = source_of(ARTICLE, brief)
    assert [[p.text for p in pieces] for pieces in source.paragraphs][0] == ["A dry region gets its first rain in years."]
    assert _marked(source) == [
        ("The mayor spoke on Monday.", (Mark(LEDE),)),
        ("We have waited   for this rain\nfor three years,", (Mark(QUOTE, "Ann Lee"),)),  # the article's own text
    ]
    assert "".join(p.text for p in source.paragraphs[1]) == ARTICLE.paragraphs[0]  # nothing lost or added
    assert source.unmatched == []


def test_a_quote_carried_over_two_paragraphs_is_marked_in_both_and_a_rewritten_lede_is_reported():
    brief = Brief(
        "Rain at last",
        lede="A lede the desk wrote.",
        quotes=[Quote("The reservoirs are low. They will not fill this winter", "the engineer")],
    )
    source = source_of(ARTICLE, brief)
    assert _marked(source) == [
        ("The reservoirs are low.", (Mark(QUOTE, "the engineer"),)),
        ("They will not fill this winter", (Mark(QUOTE, "the engineer"),)),
    ]
    assert source.unmatched == [Mark(LEDE)]


def test_a_lede_cut_at_a_word_is_marked_without_its_ellipsis_and_overlaps_are_marked_as_both():
    brief = Brief("Rain at last", lede="The mayor spoke on Monday. “We have waited…", quotes=[Quote("We have waited for this rain")])
    marked = _marked(source_of(ARTICLE, brief))
    assert marked[0] == ("The mayor spoke on Monday. “", (Mark(LEDE),))
    assert marked[1] == ("We have waited", (Mark(LEDE), Mark(QUOTE)))
    assert marked[2] == ("   for this rain", (Mark(QUOTE),))


def test_the_sample_articles_brief_is_marked_as_trim_made_it():
    brief = trim(HARBOUR, max_quotes=2)
    marked = _marked(source_of(HARBOUR, brief))
    assert [m for _, m in marked] == [(Mark(LEDE),), (Mark(QUOTE, "Helen Carrick"),), (Mark(QUOTE, "Tom Reyes"),)]
    assert [" ".join(t.split()) for t, _ in marked] == [brief.lede, *(q.text for q in brief.quotes)]


@pytest.mark.parametrize(
    ("passage", "speaker"),
    [
        ("Nobody has shown us a single study on what the pile driving does to the seal colony", "Tom Reyes"),
        ("a reason to stay", "Helen Carrick"),  # part of a quotation: its speaker
        ("“This is the first time in twenty years that young people here have a reason to stay,” said Mayor", "Helen Carrick"),
        ("If the seals move, everyone will know it the same week", "Anika Lindqvist"),  # "she said": the pronoun resolved
        # not quoted in the article: the speaker its attribution gives, as if it were quoted there
        ("the company would publish its environmental monitoring every month", "Anika Lindqvist"),
        ("The vote, 11 to 4, followed a six-hour public meeting", None),  # no one says it
        ("Nobody has shown us a single survey", None),  # not in the article
    ],
)
def test_the_speaker_proposed_for_a_passage_is_the_one_trim_gives_a_quotation_there(passage, speaker):
    assert speaker_at(HARBOUR, passage) == speaker


def test_a_passage_as_a_lede_and_as_a_quote():
    selected = "\n  “If the seals move, everyone\nwill know it the same week,” "
    chosen = passage_in(HARBOUR, selected)
    assert chosen.text == "“If the seals move, everyone will know it the same week,”"
    assert chosen.quote == "If the seals move, everyone will know it the same week"
    assert (chosen.speaker, chosen.verbatim) == ("Anika Lindqvist", True)
    assert not passage_in(HARBOUR, "If the seals move, nobody will know").verbatim
    with pytest.raises(Invalid, match="select one in the article's text, or paste it"):
        passage_in(HARBOUR, " \n ")


def test_locate_gives_the_offsets_of_the_words_in_the_text_from_a_start():
    text = "«\u00a0Il pleut\u00a0», dit-il. Il pleut encore."
    assert locate('"Il pleut"', text) == (2, 10)
    assert locate("Il pleut", text, start=11) == (22, 30)
    assert locate("Il pleu", text) is None and locate("“ ”", text) is None
