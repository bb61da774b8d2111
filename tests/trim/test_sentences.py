"""Sentence splitting holds on abbreviations, numbers, initials and quotations, in each language."""

import pytest

from digest.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("language", "text", "sentences"),
    [
        (
            "en",
            "He landed on Nov. 13, 2024 in the U.S. with Dr. Smith. He left.",
            ["He landed on Nov. 13, 2024 in the U.S. with Dr. Smith.", "He left."],
        ),
        (
            "fr",
            "M. Macron est arrivé à 9 h. Mme Dupont aussi.",
            ["M. Macron est arrivé à 9 h.", "Mme Dupont aussi."],
        ),
        ("es", "El Sr. García llegó. La Sra. Pérez no.", ["El Sr. García llegó.", "La Sra. Pérez no."]),
        (
            "de",
            "Am 3. Okt. kamen 1.200 Menschen. Es waren 3,5 % mehr. Am 13. November auch.",
            ["Am 3. Okt. kamen 1.200 Menschen.", "Es waren 3,5 % mehr.", "Am 13. November auch."],
        ),
        (
            "it",
            "Il dott. Rossi e il sig. Bianchi sono arrivati. Poi sono partiti.",
            ["Il dott. Rossi e il sig. Bianchi sono arrivati.", "Poi sono partiti."],
        ),
        ("en", "J. K. Rowling wrote it. She was 32.", ["J. K. Rowling wrote it.", "She was 32."]),
    ],
)
def test_abbreviations_numbers_and_initials_do_not_end_sentences(language, text, sentences):
    assert split_sentences(text, language) == sentences


def test_a_quotation_with_sentence_ends_stays_whole_with_its_attribution():
    text = "« Nous partons. C’était prévu. », a-t-il déclaré. Puis il est parti."
    assert split_sentences(text, "fr") == [
        "« Nous partons. C’était prévu. », a-t-il déclaré.",
        "Puis il est parti.",
    ]


def test_a_sentence_ending_inside_closing_marks_ends_there():
    text = "“We go. Now,” she said. “Yes.” Then they left."
    assert split_sentences(text, "en") == ["“We go. Now,” she said.", "“Yes.”", "Then they left."]


def test_unknown_language_uses_every_languages_abbreviations():
    assert split_sentences("Sr. García y M. Dupont llegaron. Fin.") == [
        "Sr. García y M. Dupont llegaron.",
        "Fin.",
    ]


def test_no_sentence_starts_with_a_lowercase_word():
    assert split_sentences("„Wir gehen jetzt.“ erklärte sie. Dann ging sie.", "de") == [
        "„Wir gehen jetzt.“ erklärte sie.",
        "Dann ging sie.",
    ]
    assert split_sentences("Er sagte, Benedikt XVI. „ist ein großer Papst“. Gut.", "de") == [
        "Er sagte, Benedikt XVI. „ist ein großer Papst“.",
        "Gut.",
    ]
