"""The digest in a real browser, at a phone's and a desktop client's width."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import ListSettings
from digest.domain import Coverage
from digest.render import personalize, render_archive, render_edition
from digest.render.specimen import specimen_edition
from tests.browser.conftest import picture

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TOKEN = "tok" + "x" * 180
VALUES = {
    "name": "Maximiliane Wolkenstein-Rodeneck",
    "unsubscribe_url": f"https://digest.example.org/u/{TOKEN}",
    "preferences_url": f"https://digest.example.org/p/{TOKEN}",
    "archive_url": "https://digest.example.org/archive/1",
}


def a_list(language: str, images: bool = False) -> ListSettings:
    return ListSettings(
        images=images,
        id="world",
        name="The World This Week",
        language=language,
        from_address="digest@example.org",
        from_name="Digest",
        postal_address="Digest Newsroom, 1 Example Street, 75001 Paris, France",
        theme={"logo_url": "https://digest.example.org/logo.png"},
    )


def mail(language: str = "en") -> str:
    """Ten items, with the worst a layout meets: a long unbroken word, a long source name, a long link."""
    edition = specimen_edition(10)
    edition.items[0].lede += " Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft" * 2
    edition.items[1].also.append(Coverage("https://www.a-very-long-domain-name-for-a-newspaper.example.com/" + "x" * 80))
    edition.items[2].title = "A headline with a link-like token " + "https://example.org/" + "y" * 90
    html, _ = personalize(render_edition(edition, a_list(language), TEMPLATES), VALUES)
    return html


OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
NO_ALT = "[...document.images].filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src)"
LINKS = "[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [375, 600])
def test_no_overflow_alt_text_everywhere_and_only_absolute_https_links(show, width, language):
    shown = show(mail(language), width)
    shown.screenshot(f"digest-{language}-{width}")
    assert shown.js(OVERFLOW) <= 0, "the mail scrolls sideways"
    assert shown.js("document.images.length") == 1
    assert shown.js(NO_ALT) == []
    links = shown.js(LINKS)
    assert len(links) >= 10 and all(href.startswith("https://") for href in links), links
    assert shown.js("document.scripts.length") == 0
    assert [url for kind, url in shown.requests if kind != "image"] == []  # no CSS, fonts or scripts fetched


def test_the_mail_is_at_most_600_px_wide_on_a_wide_screen(show):
    shown = show(mail(), 1200)
    widths = shown.js("[...document.querySelectorAll('.dm-card')].map(e => e.getBoundingClientRect().width)")
    assert widths and max(widths) <= 600


def test_dark_mode_darkens_the_background_and_lightens_the_text(show):
    light = show(mail(), 375)
    dark = show(mail(), 375, dark=True)
    dark.screenshot("digest-en-375-dark")
    card = "getComputedStyle(document.querySelector('.dm-card')).backgroundColor"
    text = "getComputedStyle(document.querySelector('.dm-text div')).color"
    assert light.js(card) == "rgb(255, 255, 255)" and dark.js(card) == "rgb(30, 30, 30)"
    assert light.js(text) == "rgb(31, 35, 40)" and dark.js(text) == "rgb(230, 230, 230)"


def test_right_to_left_text_starts_on_the_right(show):
    shown = show(mail("ar"), 375)
    assert shown.js("document.documentElement.dir") == "rtl"
    assert shown.js("getComputedStyle(document.querySelector('.dm-text div')).textAlign") == "right"


def test_the_web_archive_page_fits_a_phone(show):
    shown = show(render_archive(specimen_edition(10), a_list("en"), TEMPLATES, VALUES["archive_url"]), 375)
    shown.screenshot("archive-en-375")
    assert shown.js(OVERFLOW) <= 0
    assert all(href.startswith("https://") for href in shown.js(LINKS))


@pytest.mark.parametrize("width", [375, 600])
def test_lead_images_fit_a_phone_and_a_desktop_client_keeping_their_ratio(show, width):
    """The specimen's images are 1200 x 800 on the publisher's side; the mail shows each at most as
    wide as its text (552 px in the 600 px layout, the phone's width less the padding on a phone)."""
    edition = specimen_edition(3)
    served = {item.image.url: picture(1200, 800) for item in edition.items}
    html, _ = personalize(render_edition(edition, a_list("en", images=True), TEMPLATES), VALUES)
    shown = show(html, width, images=served)
    shown.screenshot(f"digest-images-en-{width}")
    assert shown.js(OVERFLOW) <= 0
    assert shown.js(NO_ALT) == []
    boxes = shown.js(
        "[...document.images].filter(i => i.src.endsWith('.jpg'))"
        ".map(i => [i.naturalWidth, i.getBoundingClientRect().width, i.getBoundingClientRect().height])"
    )
    assert len(boxes) == 3 and all(natural == 1200 for natural, _, _ in boxes)  # loaded, not broken
    for _, shown_width, shown_height in boxes:
        assert shown_width <= min(552, width - 48) + 0.5
        assert shown_width >= min(552, width - 48) - 1  # as wide as the text, not a thumbnail
        assert abs(shown_height / shown_width - 800 / 1200) < 0.01
