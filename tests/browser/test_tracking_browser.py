"""The reader's opt-out of tracking in Chromium: the preferences page's "Don't track my opens and
clicks" box, ticked and saved, and the admin console's subscriber page saying so; axe-checked and
photographed into test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from digest.domain import Role
from subscribers import tables as sub
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_public_pages_browser import links_of, reader_page
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
