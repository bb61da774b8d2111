"""The admin console's lists and segments in Chromium, signed in as an admin: create a list and edit
it, see a list of config.yaml read-only with its growth chart, save a search of the subscribers as
a segment and find it on its list's page, then send the list's edition to it from the board; every page checked with axe-core (no serious or critical
violation, light and dark) and photographed into test-artifacts/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from subscribers import tables as t
from subscribers.models import Subscriber
from subscribers.service import set_status, upsert_subscriber
from tests.browser.conftest import ARTIFACTS, axe_violations, screenshot
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'digest.db'}"


def _grown(room) -> None:  # noqa: ANN001
    """Readers who joined `world` over the last weeks, a few a week more each week, some of whom left."""
    now, m = datetime.now(UTC), t.memberships
    with room.engine.begin() as conn:
        n = 0
        for week in range(10):
            for k in range(2 + week * 2):
                sid, _ = upsert_subscriber(conn, Subscriber(f"reader{n:03}@example.org", language="en"))
                set_status(conn, sid, "world", "unsubscribed" if k % 4 == 3 else "confirmed", method="admin")
                at = now - timedelta(weeks=9 - week, days=k % 3)
                conn.execute(
                    update(m).where(m.c.subscriber_id == sid).values(created_at=at, status_changed_at=at)
                )
                n += 1


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_create_and_edit_a_list_see_a_config_list_and_save_a_segment(browser, newsroom, dark):  # noqa: F811
    _grown(newsroom)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900},
                                  color_scheme="dark" if dark else "light")  # fmt: skip
    context.add_cookies(
        [{"name": "digest_session", "value": newsroom.tokens["admin"][0], "url": newsroom.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    shade = "dark" if dark else "light"

    page.goto(newsroom.url + "/newsroom")
    page.get_by_role("link", name="Lists", exact=True).click()  # from the newsroom's navigation
    expect(page.get_by_role("heading", name="Lists", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="config.yaml (read-only here)")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"console-lists-{shade}")

    page.get_by_label("Id (in its links").fill("letters")
    page.get_by_label("Name", exact=True).fill("Letters")
    page.get_by_label("From name").fill("The Desk")
    page.get_by_label("From address").fill("letters@example.org")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Create the list").click()
    expect(page.get_by_text("List created.")).to_be_visible()
    expect(page.get_by_text("Not scheduled")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Letters to the Editor")
    page.get_by_label("Public: offered").check()
    page.get_by_role("button", name="Save the list").click()
    expect(page.get_by_text("List saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Letters to the Editor")).to_be_visible()
    assert page.get_by_label("Public: offered").is_checked()
    assert axe_violations(page) == []
    screenshot(page, f"console-list-new-{shade}")

    page.get_by_role("link", name="← The lists").click()
    page.get_by_role("link", name="The World This Week").click()
    expect(page.get_by_text("declared in config.yaml")).to_be_visible()
    assert page.get_by_role("button", name="Save the list").count() == 0  # read-only
    chart = page.locator("svg.growth")
    expect(chart).to_be_visible()
    assert page.locator("svg.growth rect.bar").count() == 24
    page.get_by_text("The figures, week by week").click()  # the table beside the chart
    expect(page.locator("table.growth-table")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"console-list-world-{shade}")
    chart.screenshot(path=str(ARTIFACTS / f"console-growth-chart-{shade}.png"))

    page.get_by_role("link", name="Search its members to save a segment").click()
    page.get_by_label("Language", exact=True).select_option("en")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="Save this search as a segment")).to_be_visible()
    page.get_by_label("The segment's name").fill("English readers")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save this search as a segment").click()
    expect(page.get_by_text("Segment saved.")).to_be_visible()
    row = page.locator("table.segments tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_have_text("English readers")
    assert axe_violations(page) == []
    screenshot(page, f"console-list-segment-{shade}")

    page.goto(newsroom.url + "/admin/segments")
    expect(page.get_by_role("link", name="English readers")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"console-segments-{shade}")

    page.goto(newsroom.url + newsroom.board)  # the edition of `world` goes to the segment (htmx posts it)
    page.get_by_label("Send to").select_option(label="English readers (about 87)")
    page.get_by_role("button", name="Choose the audience").click()
    expect(page.get_by_text("The audience is chosen.")).to_be_visible()
    expect(page.locator("#audience p").first).to_have_text(
        "Goes to: the segment “English readers”: its confirmed members (about 87)"
    )
    assert axe_violations(page) == []
    page.locator("#audience").screenshot(path=str(ARTIFACTS / f"board-audience-{shade}.png"))
    assert errors == []
    context.close()
