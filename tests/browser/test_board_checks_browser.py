"""The board's checks in Chromium: a quote edited by hand is flagged next to its item and approval
refused until it is marked as a paraphrase; a test send arrives at an aiosmtpd relay on loopback;
axe-core on the board with its checks shown."""

from __future__ import annotations

import email
from email import policy

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, signed_in_page
from tests.browser.test_board_browser import board_page  # noqa: F401 (a pytest fixture)
from tests.servers import smtp
from tests.web.newsroom import open_newsroom


@pytest.fixture
def relay():
    sink = smtp.Sink()
    controller = smtp.serve(sink)
    yield sink, controller.port
    controller.stop()


@pytest.fixture
def newsroom(instance, relay):
    """The board's newsroom, delivering through the smtp backend to the relay."""
    smtp_settings = {"host": "127.0.0.1", "port": relay[1], "security": "none", "timeout": 10}
    room, server = open_newsroom(instance, delivery={"backend": "smtp", "smtp": smtp_settings})
    with server:
        yield room
    room.engine.dispose()


def test_a_hand_edited_quote_is_flagged_and_blocks_approval(newsroom, board_page):  # noqa: F811
    item = next(i for i in newsroom.edition().items if i.brief.quotes)
    aid, quote = item.article_id, item.brief.quotes[0].text
    edited = "Reportedly, " + quote
    editor = board_page("editor")
    editor.wait_for_selector("#checks h3:text('Checks before sending')")
    editor.locator(f"#item-{aid} summary", has_text="Write the quote by hand").click()
    editor.fill(f"#quote-{aid}", edited)
    editor.locator(f"#item-{aid} button", has_text="Save the quote").click()
    editor.wait_for_selector(f"#flag-{aid}")
    # the checks come after the board: the quote check's failure lands next to its item
    editor.wait_for_selector(f"#checks-{aid} li:has-text('does not appear word for word')", timeout=20_000)
    assert "checks failed" in editor.inner_text("#checks") or "check failed" in editor.inner_text("#checks")
    editor.locator(f"#item-{aid}").scroll_into_view_if_needed()
    screenshot(editor, "board-quote-flagged")

    publisher = board_page("publisher")
    expect(publisher.locator(f"#flag-{aid}")).to_be_visible()
    publisher.click("button:text('Approve')")
    publisher.wait_for_selector(".error:has-text('does not appear word for word')")
    assert newsroom.edition().edition.status == "draft"
    screenshot(publisher, "board-approval-refused-quote")

    editor.reload()
    editor.click(f"#paraphrase-{aid}")
    editor.wait_for_selector(f"#flag-{aid}", state="detached")
    assert "Paraphrase" in editor.inner_text(f"#item-{aid} .quote")
    publisher.reload()
    publisher.click("button:text('Approve')")
    publisher.wait_for_selector(".status-approved")
    assert editor.errors == [] and [e for e in publisher.errors if "422" not in e] == []


def test_a_test_send_arrives_at_the_relay(newsroom, board_page, relay):  # noqa: F811
    sink, _ = relay
    editor = board_page("editor")
    editor.click("button:text('Send a test')")
    editor.wait_for_selector("#said:has-text('A test was sent to editor@example.org.')")
    with sink.lock:
        taken = list(sink.messages)
    assert [to for _, to, _ in taken] == [["editor@example.org"]]
    message = email.message_from_bytes(taken[0][2], policy=policy.default)
    assert str(message["Subject"]).startswith("[TEST] ") and message["X-Digest-Test"] == "yes"
    screenshot(editor, "board-test-sent")
    assert editor.errors == []


def test_the_board_with_its_checks_has_no_serious_accessibility_violation(browser, newsroom):
    for dark in (False, True):
        page = signed_in_page(browser, newsroom, "editor", dark)
        page.wait_for_selector("#checks .check-list, #checks .ok", timeout=20_000)
        page.fill("#search-q", "wind")
        page.click("button:text('Search')")
        page.wait_for_selector("#search-results .found")
        page.locator("#items > li:first-child summary", has_text="Write the quote by hand").click()
        assert axe_violations(page) == [], dark
        screenshot(page, f"board-checks-{'dark' if dark else 'light'}")
        page.context.close()
