"""The digest as a subscriber gets it: escaping, personalization, the size budget, email client practice."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from digest.config import ListSettings
from digest.domain import Brief, Edition, Image, Quote
from digest.render import BUDGET, personalize, render_edition
from digest.render.specimen import specimen_edition
from tests import ROOT

TEMPLATES = ROOT / "templates"
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
VALUES = {
    "name": "Ana",
    "unsubscribe_url": "https://digest.example.org/u/tok-unsub?a=1&b=2",
    "preferences_url": "https://digest.example.org/p/tok-prefs",
    "archive_url": "https://digest.example.org/archive/7",
}


def a_list(**fields) -> ListSettings:
    defaults = {
        "id": "world",
        "name": "The World",
        "from_address": "digest@example.org",
        "from_name": "Digest",
        "postal_address": "1 Example Street, Paris",
    }
    return ListSettings(**(defaults | fields))


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would see them."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def named(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def rendered(edition: Edition | None = None, lst: ListSettings | None = None, values=VALUES, **kwargs):
    template = render_edition(edition or specimen_edition(3), lst or a_list(), TEMPLATES, **kwargs)
    html, text = personalize(template, values)
    return template, html, text


@pytest.mark.parametrize("payload", [SCRIPT, BREAKOUT])
def test_hostile_titles_and_ledes_are_escaped_in_html_and_verbatim_in_text(payload):
    edition = specimen_edition(2)
    edition.items[0].title = f"Title {payload}"
    edition.items[0].lede = f"Lede {payload} end"
    edition.items[1].quotes = [Quote(f"Quote {payload}", speaker=f"Speaker {payload}")]
    edition.subject = f"Subject {payload}"
    _, html, text = rendered(edition)

    tags = Tags(html)
    assert tags.named("script") == []
    assert not [img for img in tags.named("img") if "onerror" in img]
    assert payload not in html
    assert str(escape(f"Lede {payload} end")) in html  # shown to the reader as written
    assert f"Title {payload}" in text and f"Lede {payload} end" in text and f"Quote {payload}" in text
    assert "&lt;" not in text and "&gt;" not in text


def test_personal_values_are_escaped_for_html_and_verbatim_in_text():
    values = VALUES | {"name": '<b>Jo "the" O\'Neil</b>'}
    template, html, text = rendered(values=values)
    assert "&lt;b&gt;Jo &quot;the&quot; O&#x27;Neil&lt;/b&gt;" in html
    assert '<b>Jo "the" O\'Neil</b>' in text
    hrefs = [a["href"] for a in Tags(html).named("a")]
    assert VALUES["unsubscribe_url"] in hrefs  # the parser unescapes &amp; back to the real URL
    assert "@@" not in html and "@@" not in text
    for value in values.values():
        assert value in text


def test_article_text_cannot_forge_a_marker():
    earlier = render_edition(specimen_edition(1), a_list(), TEMPLATES).markers["unsubscribe_url"]
    edition = specimen_edition(1)
    edition.items[0].lede = f"see {earlier} here"
    _, html, text = rendered(edition)
    assert f"see {earlier} here" in text and f"see {earlier} here" in html


def test_each_recipient_gets_their_own_values_from_one_render():
    template = render_edition(specimen_edition(2), a_list(), TEMPLATES)
    first, _ = personalize(template, VALUES | {"name": "Ana", "unsubscribe_url": "https://x.org/u/1"})
    second, _ = personalize(template, VALUES | {"name": "Ben", "unsubscribe_url": "https://x.org/u/2"})
    assert "Ana" in first and "Ben" not in first and "https://x.org/u/1" in first
    assert "Ben" in second and "Ana" not in second and "https://x.org/u/2" in second


def long_edition(items: int) -> Edition:
    edition = specimen_edition(items)
    for brief in edition.items:
        brief.lede = brief.lede * 4
    return edition


def test_an_edition_over_the_budget_sends_its_trailing_items_to_the_web_archive():
    edition = long_edition(40)
    long_links = VALUES | {f: f"https://digest.example.org/u/{'x' * 480}" for f in ("unsubscribe_url", "preferences_url")}
    template, html, text = rendered(edition, values=long_links)

    assert template.held_back > 0
    assert len(html.encode()) < BUDGET
    shown = len(edition.items) - template.held_back
    assert f"Story {shown}:" in html and f"Story {shown + 1}:" not in html
    more = [a for a in Tags(html).named("a") if a["href"] == VALUES["archive_url"]]
    assert len(more) == 2  # the "more in the web archive" link and "view in browser"
    assert f"{template.held_back} more stories in the web archive: {VALUES['archive_url']}" in text
    # as many items as fit: with one more, less than 1 KB would be left for the "more" link's section
    one_more = Edition(edition.list_id, edition.subject, edition.items[: shown + 1], intro=edition.intro)
    assert render_edition(one_more, a_list(), TEMPLATES, budget=None).max_size > BUDGET - 1024


def test_items_of_very_different_sizes_still_fill_the_budget_as_far_as_it_goes():
    edition = specimen_edition(40)
    for n, brief in enumerate(edition.items):
        brief.lede = brief.lede * (12 if n % 7 == 3 else 1)  # a few long items among short ones
    template = render_edition(edition, a_list(), TEMPLATES)
    assert template.held_back > 0 and template.max_size <= BUDGET
    shown = len(edition.items) - template.held_back
    one_more = Edition(edition.list_id, edition.subject, edition.items[: shown + 1], intro=edition.intro)
    assert render_edition(one_more, a_list(), TEMPLATES, budget=None).max_size > BUDGET - 1024


def test_an_edition_within_the_budget_keeps_every_item():
    template, html, text = rendered(specimen_edition(10))
    assert template.held_back == 0
    assert "web archive" not in text
    assert all(f"Story {n}:" in html for n in range(1, 11))


def test_email_client_practice():
    _, html, _ = rendered(specimen_edition(3))
    tags = Tags(html)
    assert {"name": "color-scheme", "content": "light dark"} in tags.named("meta")
    assert "@media (prefers-color-scheme: dark)" in html
    assert "max-width:600px" in html
    widths = [int(w) for w in re.findall(r"(?<![-\w])width:\s*(\d+)px", html)]
    assert widths and max(widths) <= 600
    assert tags.named("script") == [] and "javascript:" not in html
    assert tags.named("link") == []  # no external CSS without a configured web font
    assert all(a["href"].startswith("https://") for a in tags.named("a"))
    assert all(img.get("alt") for img in tags.named("img"))


def test_preheader_is_the_first_lede_in_plain_text():
    edition = specimen_edition(2)
    edition.items[0].lede = "Tides <b>rise</b> & fall.   Second   sentence."
    _, html, _ = rendered(edition)
    hidden = re.search(r'<div style="display:none[^>]*>(.*?)</div>', html).group(1)
    assert hidden == "Tides &lt;b&gt;rise&lt;/b&gt; &amp; fall. Second sentence."


def test_item_links_are_absolute_https_or_absent():
    edition = specimen_edition(3)
    edition.items[0].url = "http://news.example.org/a"
    edition.items[1].url = "javascript:alert(1)"
    edition.items[2].url = "/relative/path"
    _, html, text = rendered(edition)
    hrefs = [a["href"] for a in Tags(html).named("a")]
    assert "https://news.example.org/a" in hrefs
    assert all(h.startswith("https://") for h in hrefs)
    assert "javascript:" not in html and "/relative/path" not in html and "/relative/path" not in text
    assert "Story 2:" in html and "Story 3:" in html  # shown, just not linked


def test_items_show_reading_time_quote_speaker_and_other_sources():
    edition = Edition(
        "world",
        "One story",
        [
            Brief(
                title="Night trains return",
                lede="The night train is back.",
                quotes=[Quote("We missed it", speaker="A conductor")],
                url="https://rail.example.org/1",
                source="Rail News",
                words=1150,
            )
        ],
    )
    edition.items[0].also = specimen_edition(1).items[0].also
    _, html, text = rendered(edition)
    assert "Rail News · 5 min read" in html and "Rail News · 5 min read" in text
    assert "<blockquote>“We missed it”<br />" in html and "— A conductor" in html
    assert "Also covered by:" in html and 'href="https://coast.example.com/1"' in html and "Radio North" in html
    assert "Also covered by: Coastal Times <https://coast.example.com/1>, Radio North" in text


def test_a_configured_web_font_is_the_only_external_stylesheet():
    font = "https://fonts.example.org/css?family=Inter"
    lst = a_list(theme={"fonts": {"Inter": font}, "font_family": "Inter, Arial, sans-serif"})
    _, html, _ = rendered(lst=lst)
    assert [link["href"] for link in Tags(html).named("link")] == [font]


def test_logo_has_the_list_name_as_alt_text():
    lst = a_list(theme={"logo_url": "https://digest.example.org/logo.png", "brand_color": "#aa3300"})
    _, html, _ = rendered(lst=lst)
    [logo] = Tags(html).named("img")
    assert (logo["src"], logo["alt"]) == ("https://digest.example.org/logo.png", "The World")
    assert "#aa3300" in html


def test_with_images_on_each_item_shows_its_lead_image_sized_for_the_layout_with_alt_text():
    edition = specimen_edition(4)
    edition.items[1].image = Image("https://img.example.org/small.png", None, 300, 100)  # no alt: the caption
    edition.items[2].image = Image("http://img.example.org/plain-http.jpg", "Not over https", 800, 600)
    edition.items[3].image = Image("https://img.example.org/unknown-size.jpg", "Size unknown")
    _, html, text = rendered(edition, a_list(images=True))
    images = Tags(html).named("img")
    assert images == [
        {"src": "https://news.example.org/2026/11/story-1.jpg", "alt": "Wind turbines at sea", "width": "552",
         "height": "368", "style": images[0]["style"]},  # 1200 x 800, fitted to the 552 px of text width
        {"src": "https://img.example.org/small.png", "alt": edition.items[1].caption, "width": "300",
         "height": "100", "style": images[1]["style"]},  # never enlarged
        {"src": "https://img.example.org/unknown-size.jpg", "alt": "Size unknown", "width": "552",
         "style": images[2]["style"]},  # no height: the client keeps the ratio it finds
    ]  # fmt: skip
    assert all("max-width:" in i["style"] and "height:auto" in i["style"] and "width:100%" in i["style"] for i in images)
    assert "plain-http" not in html  # an image is shown over https or not at all (never upgraded, never mixed)
    assert html.count(edition.items[0].caption) == 4  # under each of the 3 shown images, and as the 2nd one's alt
    assert "<img" not in text and "story-1.jpg" not in text


def test_with_images_off_the_mail_shows_none_and_no_caption():
    _, html, _ = rendered(specimen_edition(3), a_list())  # images: false is the default
    assert Tags(html).named("img") == [] and "Photo: Jo Reyes" not in html


def test_an_image_counts_for_its_tag_and_the_budget_still_holds():
    edition = long_edition(40)
    without = render_edition(edition, a_list(), TEMPLATES, budget=None)
    with_images = render_edition(edition, a_list(images=True), TEMPLATES, budget=None)
    tags = re.findall(r'<img [^>]*>', with_images.html)
    captions = len(edition.items[0].caption) * len(edition.items)
    assert len(tags) == 40 and all(len(tag) < 300 for tag in tags)  # the tag, never the picture's bytes
    assert 0 < with_images.max_size - without.max_size < sum(map(len, tags)) + 2 * captions + 200 * 40
    template, html, _ = rendered(edition, a_list(images=True))
    assert template.held_back > 0 and len(html.encode()) < BUDGET
    assert template.held_back > render_edition(edition, a_list(), TEMPLATES).held_back  # images cost items
