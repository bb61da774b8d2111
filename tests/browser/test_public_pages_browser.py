"""The readers' pages in Chromium, wearing the list's theme (its brand colour and logo): subscribe,
preferences (the time zone among them), unsubscribe and the list's archive index; light and dark,
each checked with axe-core (no serious or critical violation) and photographed into test-artifacts/."""

from __future__ import annotations

import email
import re
from email import policy

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, picture, screenshot
from tests.web.newsroom_support import newsroom  # noqa: F401 (a pytest fixture)

LOGO = "https://digest.example.org/logo.png"


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'digest.db'}"


@pytest.fixture
def themed(monkeypatch):
    """The world list in a brand colour of its own, with a logo (the newsroom fixture reads this)."""
    monkeypatch.setattr(
        "tests.web.newsroom_support.WORLD_THEME", {"brand_color": "#7a1f5c", "logo_url": LOGO, "logo_width": 180}
    )


def links_of(instance, address: str) -> dict[str, str]:
    for path in sorted((instance / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if address in message["To"]:
            text = message.get_body(("plain",)).get_content()
            return dict(re.findall(r"https://digest\.example\.org/(u|p)(/[^\s\"<>]+)", text))
    raise AssertionError(f"no mail to {address}")


def reader_page(browser, dark: bool):
    context = browser.new_context(bypass_csp=True, color_scheme="dark" if dark else "light")  # axe is injected
    page = context.new_page()
    page.route(LOGO, lambda route: route.fulfill(status=200, content_type="image/png", body=picture(360, 80)))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return context, page, errors


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_readers_pages_in_the_list_theme(browser, themed, newsroom, dark):  # noqa: F811
    mode = "dark" if dark else "light"
    links = links_of(newsroom.instance, "ada@example.org")
    context, page, errors = reader_page(browser, dark)
    shown = {
        "subscribe": "/subscribe/world",
        "archive-index": "/archive/list/world",
        "preferences": "/p" + links["p"],
        "unsubscribe": "/u" + links["u"],
    }
    for name, path in shown.items():
        page.goto(newsroom.url + path)
        band = page.locator("header.band")
        assert band.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(122, 31, 92)", name  # #7a1f5c
        expect(page.get_by_role("img", name="The World This Week"), name).to_be_visible()
        assert axe_violations(page) == [], name
        screenshot(page, f"public-{name}-{mode}")
    page.goto(newsroom.url + shown["preferences"])
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("status").inner_text() == "Your preferences are saved."
    assert page.get_by_label("Time zone").input_value() == "Asia/Tokyo"
    page.goto(newsroom.url + shown["archive-index"])
    page.get_by_role("link", name=re.compile("The World This Week")).first.click()
    assert re.search(r"/archive/\d+$", page.url)
    assert errors == []
    context.close()
