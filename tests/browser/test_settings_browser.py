"""The admin console's settings in Chromium: reached from the navigation, checked with axe-core (no
serious or critical violation) light and dark, the delivery test sent by its button and confirmed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_an_admin_reads_the_settings_and_tests_the_backend(browser, newsroom, dark):  # noqa: F811
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900},
                                  color_scheme="dark" if dark else "light")  # fmt: skip
    context.add_cookies([{"name": "digest_session", "value": newsroom.tokens["admin"][0], "url": newsroom.url}])
    page = context.new_page()
    page.goto(newsroom.url + "/newsroom")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    key = page.get_by_role("row").filter(has_text="DIGEST_SECRET_KEY")  # the web app runs with one
    expect(key.get_by_role("cell").last).to_have_text("set")
    assert axe_violations(page) == []
    shade = "dark" if dark else "light"
    screenshot(page, f"console-settings-{shade}")
    page.get_by_role("button", name="Send a test to admin@example.org").click()
    expect(page.get_by_role("status")).to_have_text(
        "The file backend took the test message: look for it at admin@example.org."
    )
    assert axe_violations(page) == []
    screenshot(page, f"console-settings-tested-{shade}")
    context.close()
