"""The newsroom's pages in Chromium, signed in: Today and an edition's history; each checked with
axe-core (no serious or critical violation) and photographed into test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from digest.domain import Actor, Role
from digest.editions import service
from tests.browser.conftest import axe_violations, screenshot
from tests.web.newsroom_support import newsroom  # noqa: F401 (a pytest fixture)


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'digest.db'}"


def signed_in_page(browser, newsroom, role: Role, dark: bool = False):  # noqa: F811
    context = browser.new_context(bypass_csp=True, color_scheme="dark" if dark else "light")  # axe is injected
    token = newsroom.session(f"{role}{'-dark' if dark else ''}@example.org", role)
    context.add_cookies([{"name": "digest_session", "value": token, "url": newsroom.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return context, page, errors


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_today_in_the_browser(browser, newsroom, dark):  # noqa: F811
    context, page, errors = signed_in_page(browser, newsroom, Role.EDITOR, dark)
    page.goto(newsroom.url + "/newsroom")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    assert page.get_by_role("link", name="Today").get_attribute("aria-current") == "page"
    expect(page.get_by_role("heading", name="The World This Week")).to_be_visible()
    expect(page.get_by_text("never read successfully")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"newsroom-today-{'dark' if dark else 'light'}")
    page.keyboard.press("Tab")  # the skip link first, then the header's links
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    assert errors == []
    context.close()


def test_history_in_the_browser(browser, newsroom):  # noqa: F811
    engine, settings, draft_id = newsroom.engine, newsroom.settings, newsroom.draft_id
    [item] = service.show(engine, settings, draft_id, None).edition.items
    service.change(engine, settings, draft_id, Actor.named("Ana <ana@example.org>"), "lede", article_id=item.article_id,
                   text="The wind farm's first turbines turned on Monday, a year late.")  # fmt: skip
    service.change(engine, settings, draft_id, Actor.named("Bo <bo@example.org>"), "subject", text="Wind, at last")
    context, page, errors = signed_in_page(browser, newsroom, Role.VIEWER)
    page.goto(f"{newsroom.url}/newsroom/editions/{draft_id}/history")
    expect(page.get_by_role("heading", name=f"History of edition #{draft_id}")).to_be_visible()
    expect(page.get_by_text("a year late")).to_be_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "newsroom-history-375")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "newsroom-history")
    assert errors == []
    context.close()
