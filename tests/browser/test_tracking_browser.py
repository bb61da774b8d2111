"""Tracking in Chromium: a tracked copy of the digest (every story link through the redirect, the
pixel invisible, the layout unchanged); the preferences page's "Don't track my opens and clicks" box,
ticked and saved, and the admin console's subscriber page saying so; axe-checked and photographed
into test-artifacts/."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from digest.domain import Role
from digest.links import Links
from digest.render import Tracking, personalize, render_edition
from digest.render.specimen import specimen_edition
from subscribers import tables as sub
from subscribers.tokens import Tokens
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_public_pages_browser import links_of, reader_page
from tests.browser.test_render_browser import LINKS, TEMPLATES, VALUES, a_list
from tests.web.newsroom_support import newsroom  # noqa: F401 (a pytest fixture)

BOX = "Don’t track my opens and clicks"


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'digest.db'}"


def test_a_reader_opts_out_of_tracking_and_the_console_shows_it(browser, newsroom):  # noqa: F811
    links = links_of(newsroom.instance, "ada@example.org")
    context, page, errors = reader_page(browser, dark=False)
    page.goto(newsroom.url + "/p" + links["p"])
    box = page.get_by_role("checkbox", name=BOX)
    expect(box).not_to_be_checked()
    expect(page.get_by_text("Your mail then has no counting pixel")).to_be_visible()
    box.check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("status").inner_text() == "Your preferences are saved."
    expect(page.get_by_role("checkbox", name=BOX)).to_be_checked()
    assert axe_violations(page) == []
    screenshot(page, "preferences-no-tracking")
    with newsroom.engine.connect() as conn:
        ada = conn.execute(select(sub.subscribers.c.id, sub.subscribers.c.tracking)
                           .where(sub.subscribers.c.email == "ada@example.org")).one()  # fmt: skip
    assert ada.tracking is False
    assert errors == []
    context.close()

    admin = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 1000})
    admin.add_cookies([{"name": "digest_session", "value": newsroom.session("root@example.org", Role.ADMIN),
                        "url": newsroom.url}])  # fmt: skip
    console = admin.new_page()
    console.goto(f"{newsroom.url}/admin/subscribers/{ada.id}")
    fact = console.locator("dt", has_text="Open and click tracking").locator("xpath=following-sibling::dd[1]")
    expect(fact).to_have_text("opted out")
    assert axe_violations(console) == []
    screenshot(console, "subscriber-no-tracking")
    admin.close()


def test_a_tracked_copy_looks_as_the_plain_one_and_links_every_story_through_the_redirect(show):
    edition = specimen_edition(4)
    edition = replace(edition, id=7, items=[replace(b, item_id=70 + i) for i, b in enumerate(edition.items)])
    links = Links("https://digest.example.org", Tokens("browser-test"))
    tracking = Tracking({b.item_id: links.click(7, b.item_id) for b in edition.items}, links.pixel())
    reader = links.reader(7, 42)
    tracked, _ = personalize(render_edition(edition, a_list("en"), TEMPLATES, tracking=tracking), VALUES | {"reader": reader})
    plain, _ = personalize(render_edition(edition, a_list("en"), TEMPLATES), VALUES)
    heights = {}
    for name, html in (("tracked", tracked), ("plain", plain)):
        shown = show(html, 600)
        shown.screenshot(f"digest-{name}-600")
        heights[name] = shown.js("document.documentElement.scrollHeight")
        hrefs = shown.js(LINKS)
        stories = [h for h in hrefs if h.startswith("https://news.example.org/") or "/c/" in h]
        pixels = [url for kind, url in shown.requests if kind == "image" and "/o/" in url]
        if name == "tracked":
            assert stories and all(h.startswith("https://digest.example.org/c/") and h.endswith("?r=" + reader)
                                   for h in stories)  # fmt: skip
            assert pixels == [f"https://digest.example.org/o/{reader}.gif"]
            box = shown.js("(() => { const i = [...document.images].find(i => i.src.includes('/o/'));"
                           " const r = i.getBoundingClientRect(); return [r.width, r.height]; })()")  # fmt: skip
            assert box == [1, 1]
        else:
            assert stories and not any("/c/" in h for h in stories) and pixels == []
    assert abs(heights["tracked"] - heights["plain"]) <= 2  # the pixel takes no room worth seeing
