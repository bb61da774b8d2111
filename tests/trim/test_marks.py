"""Quotation marks in every convention are paired; apostrophes and stray marks are not quotations."""

import pytest

from digest.text.marks import scan


def quoted(text: str) -> list[str]:
    return [text[s.start + 1 : s.end - 1] for s in scan(text).spans]


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ("She said “we will stay here” today.", "we will stay here"),
        ('He said "we will stay here" today.', "we will stay here"),
        ("He said ‘we will stay here’ today.", "we will stay here"),
        ("He said 'we will stay here' today.", "we will stay here"),
        ("Il a dit « nous restons ici » hier.", " nous restons ici "),
        ("Il a dit «\u00a0nous restons ici\u00a0» hier.", "\u00a0nous restons ici\u00a0"),
        ("Er sagte „wir bleiben hier“ gestern.", "wir bleiben hier"),
        ("Er sagte »wir bleiben hier« gestern.", "wir bleiben hier"),
        ("Er sagte ‚wir bleiben hier‘ gestern.", "wir bleiben hier"),
        ("彼は「ここに残る」と言った。", "ここに残る"),
    ],
)
def test_every_convention(text, inner):
    assert quoted(text) == [inner]


def test_nested_quotations_give_the_outer_one():
    assert quoted("Er sagte: „Sie riefen ‚Hilfe‘ und liefen.“") == ["Sie riefen ‚Hilfe‘ und liefen."]
    assert quoted("« On nous répète “soyez prêts”, mais non. »") == [
        " On nous répète “soyez prêts”, mais non. "
    ]


def test_apostrophes_are_not_quotation_marks():
    assert quoted("L’Ukraine et l'Europe, don't and the players’ union") == []


def test_an_unclosed_mark_is_dropped_and_later_pairs_still_count():
    assert quoted("A stray “ mark, then “a real quotation” here.") == ["a real quotation"]


def test_a_quotation_left_open_at_the_end_is_reported_as_dangling():
    marks = scan("He said: “We will go on.")
    assert marks.spans == [] and marks.dangling == 9
