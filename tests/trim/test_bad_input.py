"""Hostile text: huge, full of quotation marks, unbalanced, binary-looking. Each finishes in time
linear in its size with a best-effort result. Inputs are generated here; nothing large is committed."""

import time

from digest.domain import Article
from digest.ingest.structure import parse_plain_text
from digest.trim import trim
from digest.trim.quotes import find_quotes

PARAGRAPH = (
    "“This is about the nurse who finishes at midnight and has no way home,” said councillor Amira Shah. "
    "The council voted on Tuesday to fund a late-night bus network for shift workers."
)


def timed(text: str) -> float:
    start = time.perf_counter()
    brief = trim(parse_plain_text(text), max_quotes=3)
    assert isinstance(brief.lede, str)
    return time.perf_counter() - start


def test_a_20_mb_article_is_trimmed_in_linear_time():
    small = "\n\n".join([PARAGRAPH] * 500)  # ~100 KB
    big = "\n\n".join([PARAGRAPH] * 110_000)  # 20 MB
    assert len(big.encode()) > 20_000_000
    t_small, t_big = timed(small), timed(big)
    assert t_big < 30
    assert t_big < 100 * max(
        t_small, 0.05
    )  # 220 times the text; quotations are sought in its first 200,000 characters


def test_a_20_mb_paragraph_without_breaks_is_linear():
    one = " ".join([PARAGRAPH] * 2_000)
    many = " ".join([PARAGRAPH] * 20_000)
    t_one, t_many = timed(one), timed(many)
    assert t_many < 30 * max(
        t_one, 0.2
    )  # ten times the text: quadratic work would take 100 times as long; the floor absorbs a loaded machine


def test_ten_thousand_quotation_marks():
    for marks in ('"' * 10_000, "«" * 10_000, "„“" * 5_000, "“ ” " * 5_000, "' " * 10_000, "‘’" * 5_000):
        start = time.perf_counter()
        brief = trim(parse_plain_text(f"Title of the piece\n\n{marks}\n\n{PARAGRAPH}"))
        assert time.perf_counter() - start < 5
        assert brief.title == "Title of the piece"


def test_ten_thousand_short_quotations_in_one_paragraph():
    text = " ".join(["“a b c d” Lee said."] * 10_000)  # 190,000 characters
    start = time.perf_counter()
    quotes = find_quotes(Article(title="T", paragraphs=[text], language="en"))
    assert time.perf_counter() - start < 20
    assert len(quotes) == 10_000 and quotes[-1].speaker == "Lee"


def test_unbalanced_quotation_marks_give_a_best_effort_result():
    text = (
        "Title of the piece\n\n“This opens and never closes, said someone.\n\n"
        "« Ceci ferme » mais « ceci non.\n\n" + PARAGRAPH + "\n\n„Ende ohne Anfang“ und ein „offenes Ende"
    )
    article = parse_plain_text(text)
    quotes = find_quotes(article, "en")
    assert [q.text for q in quotes] == [
        "This is about the nurse who finishes at midnight and has no way home"
    ]


def test_binary_looking_text_does_not_crash():
    text = bytes(range(1, 256)).decode("latin-1") * 200
    brief = trim(parse_plain_text(text))
    assert isinstance(brief.title, str)


def test_empty_article():
    brief = trim(Article(title="", paragraphs=[]))
    assert brief.lede == "" and brief.quotes == [] and brief.language is None
