"""A page's title without the site's name after it, and never cut in its own subtitle."""

import pytest

from digest.ingest.pages import parse_html

BODY = "<p>" + "The match starts at eight and the stadium is sold out, the club said on Friday. " * 3 + "</p>"


def page(title: str, site: str | None = None) -> str:
    meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    return f"<html><head><title>{title}</title>{meta}</head><body><article>{BODY}</article></body></html>"


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Bundesliga: Dortmund - Gladbach live sehen!", None, "Bundesliga: Dortmund - Gladbach live sehen!"),
        ("Ferry pier to be rebuilt after long dispute - The Harbour Courier", None, "Ferry pier to be rebuilt after long dispute"),
        ("Ferry pier to be rebuilt after long dispute | harbourcourier.example", None, "Ferry pier to be rebuilt after long dispute"),
        ("Ferry pier to be rebuilt after long dispute - Harbour Courier", "Harbour Courier", "Ferry pier to be rebuilt after long dispute"),
        ("Pier vote: the board decides - what the fishermen want", "Harbour Courier", "Pier vote: the board decides - what the fishermen want"),
    ],
)  # fmt: skip
def test_the_site_name_is_stripped_and_a_subtitle_kept(title, site, expected):
    assert parse_html(page(title, site)).title == expected
