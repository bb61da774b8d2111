"""The admin console's subscribers in Chromium, signed in as an admin: search by the form, page
forward by the table's link, open a subscriber; both pages checked with axe-core (no serious or
critical violation, light and dark) and photographed into test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from subscribers.models import Subscriber
from subscribers.service import set_status, upsert_subscriber
from tests.browser.conftest import axe_violations, screenshot
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'digest.db'}"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_search_page_forward_and_open_a_subscriber(browser, newsroom, dark):  # noqa: F811
    with newsroom.engine.begin() as conn:  # more members of `world` in French than a page holds
        for n in range(70):
            sid, _ = upsert_subscriber(conn, Subscriber(f"lecteur{n:02}@example.fr", name=f"Lecteur {n}", language="fr",
                                                        timezone="Europe/Paris"))  # fmt: skip
            set_status(conn, sid, "world", "confirmed", method="admin", origin="test")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900},
                                  color_scheme="dark" if dark else "light")  # fmt: skip
    context.add_cookies([{"name": "digest_session", "value": newsroom.tokens["admin"][0], "url": newsroom.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    shade = "dark" if dark else "light"

    page.goto(newsroom.url + "/newsroom")
    page.get_by_role("link", name="Subscribers").click()  # from the newsroom's navigation
    expect(page.get_by_role("heading", name="Subscribers", exact=True)).to_be_visible()
    page.get_by_label("List", exact=True).select_option("world")
    page.get_by_label("Language", exact=True).select_option("fr")
    page.get_by_label("Status", exact=True).select_option("confirmed")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.subscribers tbody tr")
    assert rows.count() == 50
    assert "list_id=world" in page.url and "language=fr" in page.url
    assert page.get_by_label("Language", exact=True).input_value() == "fr"  # the form keeps the search
    assert axe_violations(page) == []
    screenshot(page, f"console-subscribers-{shade}")

    page.get_by_role("link", name="Next page →").click()
    assert rows.count() == 21  # 70 + Jean Dupont, 50 on the first page
    expect(page.get_by_role("link", name="← Previous page")).to_be_visible()
    assert page.get_by_role("link", name="Next page →").count() == 0
    screenshot(page, f"console-subscribers-page-2-{shade}")

    page.get_by_role("link", name="jean@example.fr").click()
    expect(page.get_by_role("heading", name="jean@example.fr")).to_be_visible()
    expect(page.get_by_role("heading", name="Consent history")).to_be_visible()
    expect(page.get_by_text("Le Quotidien")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"console-subscriber-{shade}")

    page.get_by_role("link", name="Erase this subscriber…").click()
    page.get_by_label("Type their address to confirm").fill("jean@example.fr")
    assert axe_violations(page) == []
    screenshot(page, f"console-erase-{shade}")
    page.keyboard.press("Tab")  # to the button, by keyboard
    assert page.evaluate("document.activeElement.textContent") == "Erase for good"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Subscriber erased").wait_for()
    assert axe_violations(page) == []
    assert errors == []
    context.close()
