"""A bulk suppress on a search in Chromium, signed in as an admin: search, open "Act on everyone this
search finds", review the count, confirm, watch the job's progress to its end (htmx polling), and see
the suppressions in the audit log; every page checked with axe-core (light and dark) and photographed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from subscribers.models import Subscriber
from subscribers.service import set_status, upsert_subscriber
from subscribers.suppression import suppression_of
from tests.browser.conftest import axe_violations, screenshot
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'digest.db'}"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_bulk_suppress_on_a_search(browser, newsroom, dark):  # noqa: F811
    with newsroom.engine.begin() as conn:  # 2,500 addresses of one domain: a job of a few batches
        for n in range(2500):
            sid, _ = upsert_subscriber(conn, Subscriber(f"bot{n:04}@spam.example.net"))
            set_status(conn, sid, "world", "confirmed", method="admin", origin="test")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900},
                                  color_scheme="dark" if dark else "light")  # fmt: skip
    context.add_cookies([{"name": "digest_session", "value": newsroom.tokens["admin"][0], "url": newsroom.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    shade = "dark" if dark else "light"

    page.goto(newsroom.url + "/admin/subscribers")
    page.get_by_label("Address starts with").fill("bot")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="bot0000@spam.example.net")).to_be_visible()
    page.get_by_text("Act on everyone this search finds").click()
    page.get_by_label("Action").select_option("suppress")
    assert axe_violations(page) == []
    screenshot(page, f"console-bulk-form-{shade}")
    page.get_by_role("button", name="Review the action").click()

    expect(page.get_by_role("heading", name="Suppress 2,500 subscribers?")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"console-bulk-review-{shade}")
    page.get_by_role("button", name="Yes, do it").click()

    expect(page.get_by_role("heading", name="Suppress a search's subscribers")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Done.", timeout=30_000)  # polled by htmx, no reload
    expect(page.get_by_role("row", name="Changed 2,500")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"console-bulk-job-{shade}")
    with newsroom.engine.connect() as conn:
        assert suppression_of(conn, "bot1234@spam.example.net") and not suppression_of(conn, "ada@example.org")

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_text("subscribers.bulk.suppress.done")).to_be_visible()
    expect(page.get_by_text("subscribers.bulk.suppress", exact=True)).to_be_visible()
    page.goto(newsroom.url + "/admin/jobs")
    expect(page.get_by_role("link", name="Suppress a search's subscribers")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"console-jobs-{shade}")
    assert errors == []
    context.close()
