"""An edition's report in Chromium, served by the real app: the demo's edition sent to its four
readers, then what they did seeded as the tracking and the provider's webhook record it (a hard
bounce, a reader's opens and clicks, a privacy proxy's and a scanner's fetches, an unsubscribe by the
mail's one-click link). From Today to the report: its figures and rates, its stories ranked, its
first hours as an SVG chart with its table; an admin follows a figure to the subscribers behind it
and on to one of them, a viewer sees the figures without the links and is refused the people. Light
and dark, checked with axe-core and photographed into test-artifacts/."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from digest.deliver.tracking import Cause, EventKind, ProviderEvent, apply
from digest.domain import Actor, EditionStatus
from digest.editions import report, service
from digest.links import Links
from digest.store.events import record_event
from digest.store.tables import deliveries
from subscribers.service import find_subscriber, unsubscribe
from subscribers.tokens import Tokens
from tests.browser.conftest import ARTIFACTS, axe_violations, screenshot
from tests.web.newsroom import SECRET, newsroom  # noqa: F401 (a pytest fixture)


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'digest.db'}"


def _sent_and_read(room) -> dict[str, int]:  # noqa: ANN001
    """Send the room's edition and seed what its readers did; {address: delivery id}."""
    engine, edition_id = room.engine, room.edition_id
    service.transition(engine, edition_id, EditionStatus.APPROVED, Actor.named("test"))
    service.send(engine, room.settings, edition_id, Links(room.settings.base_url, Tokens(SECRET)))
    with engine.connect() as conn:
        d = dict(conn.execute(select(deliveries.c.email, deliveries.c.id).where(deliveries.c.edition_id == edition_id)).all())
    assert sorted(d) == ["ada@example.org", "grace@example.org", "greta@example.de", "jean@example.fr"]
    shown = report.edition_report(engine, edition_id)
    start, (first, second) = shown.started_at, [s.item_id for s in shown.stories[:2]]
    apply(engine, [ProviderEvent("sendgrid", "bounce-1", EventKind.BOUNCED, "greta@example.de", d["greta@example.de"],
                                 Cause.HARD_BOUNCE, "550 5.1.1 no such user", start)])  # fmt: skip
    n = iter(range(100))

    def event(kind: str, who: str, minutes: int, item: int | None = None, machine: bool = False) -> None:
        with engine.begin() as conn:
            record_event(conn, f"seeded-{next(n)}", "digest", kind, edition_id=edition_id, delivery_id=d[who],
                         reason=None, at=start + timedelta(minutes=minutes), item_id=item,
                         url=f"https://news.example.org/{item}" if item else None, machine=machine)  # fmt: skip

    event("opened", "ada@example.org", 10)
    event("clicked", "ada@example.org", 20, first)
    event("clicked", "ada@example.org", 25, first)
    event("opened", "grace@example.org", 1, machine=True)  # a privacy proxy, then a link scanner
    event("clicked", "grace@example.org", 1, first, machine=True)
    event("clicked", "grace@example.org", 1, second, machine=True)
    event("clicked", "jean@example.fr", 90, second)  # images off: a click and no open
    with engine.begin() as conn:
        jean = find_subscriber(conn, "jean@example.fr")
        assert jean is not None and jean.id is not None
        unsubscribe(conn, jean.id, "world", method="one-click")
    return d


def _page(browser, room, who: str, dark: bool):  # noqa: ANN001, ANN202
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900},
                                  color_scheme="dark" if dark else "light")  # fmt: skip
    context.add_cookies([{"name": "digest_session", "value": room.tokens[who][0], "url": room.url}])
    return context.new_page()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_report_shows_a_seeded_editions_figures_and_the_people_behind_them(browser, newsroom, dark):  # noqa: F811
    _sent_and_read(newsroom)
    subject = newsroom.edition().edition.subject
    shade = "dark" if dark else "light"
    page = _page(browser, newsroom, "admin", dark)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(newsroom.url + "/newsroom")
    screenshot(page, f"report-from-today-{shade}")
    page.locator("section.day", has_text="The World This Week").get_by_role("link", name="report", exact=True).click()
    expect(page.get_by_role("heading", name=f"Report: {subject}")).to_be_visible()

    def card(key: str):  # noqa: ANN202
        return page.locator(f".figure-{key}")

    expected = {  # 4 sent, greta bounced for good: 3 delivered
        "sent": ("4", None), "delivered": ("3", "75% of sent"), "bounced": ("1", "25% of sent"),
        "complaints": ("0", "0% of delivered"), "unsubscribes": ("1", "33.33% of delivered"),
        "opens": ("2", "66.67% of delivered"), "machine_opens": ("1", "33.33% of delivered"),
        "clicks": ("2", "66.67% of delivered"), "machine_clicks": ("1", "33.33% of delivered"),
    }  # fmt: skip
    for key, (count, rate) in expected.items():
        expect(card(key).locator(".figure-count")).to_have_text(count)
        if rate:
            expect(card(key).locator(".figure-rate")).to_have_text(rate)
    expect(card("clicks")).to_contain_text("3 clicks in all")
    expect(card("machine_clicks")).to_contain_text("2 fetches in all")

    rows = page.locator("table.stories tbody tr")
    first, second = newsroom.edition().edition.items[:2]
    expect(rows.nth(0).get_by_role("rowheader")).to_contain_text(first.title)  # ada's two clicks rank it first
    expect(rows.nth(0).locator("td")).to_have_text(["1", "1", "33.33%", "2", "1"])
    expect(rows.nth(1).get_by_role("rowheader")).to_contain_text(second.title)
    expect(rows.nth(1).locator("td")).to_have_text(["2", "1", "33.33%", "1", "1"])

    chart = page.locator("svg.timeline")
    expect(chart).to_be_visible()
    assert page.locator("svg.timeline rect.bar.opens").count() == 1  # hour 0: ada's open
    assert page.locator("svg.timeline rect.bar.clicks").count() == 2  # hour 0: ada's clicks; hour 1: jean's
    page.get_by_text("The figures, hour by hour").click()
    hours = page.locator("table.timeline-table tbody tr")
    expect(hours).to_have_count(48)
    expect(hours.nth(0).locator("td")).to_have_text(["1", "2", "3"])
    expect(hours.nth(1).locator("td")).to_have_text(["0", "1", "0"])
    assert axe_violations(page) == []
    screenshot(page, f"report-{shade}")
    chart.screenshot(path=str(ARTIFACTS / f"report-timeline-{shade}.png"))

    card("opens").get_by_role("link").click()  # the readers behind the figure
    expect(page.get_by_role("heading", name="Opened by readers")).to_be_visible()
    expect(page.locator("table.people tbody th")).to_have_text(["ada@example.org", "jean@example.fr"])
    assert axe_violations(page) == []
    screenshot(page, f"report-people-{shade}")
    page.get_by_role("link", name="ada@example.org").click()
    expect(page.get_by_role("heading", name="ada@example.org")).to_be_visible()

    page.goto(newsroom.url + newsroom.board)
    page.locator("#board").screenshot(path=str(ARTIFACTS / f"report-from-board-{shade}.png"))
    page.get_by_role("link", name="Report: what readers did").click()
    page.get_by_role("link", name="the list's trend").click()
    expect(page.get_by_role("heading", name="Trend of The World This Week")).to_be_visible()
    expect(page.locator("table.trend tbody tr")).to_have_count(1)
    expect(page.locator("table.trend tbody tr td")).to_have_text(["4", "66.67%", "66.67%", "33.33%", "25%", "0%", "33.33%"])
    assert axe_violations(page) == []
    screenshot(page, f"report-trend-{shade}")
    page.context.close()
    assert errors == []


def test_a_viewer_sees_the_figures_but_not_the_people_behind_them(browser, newsroom):  # noqa: F811
    _sent_and_read(newsroom)
    page = _page(browser, newsroom, "viewer", dark=False)
    report_url = f"{newsroom.url}{newsroom.board}/report"
    page.goto(report_url)
    expect(page.locator(".figure-opens .figure-count")).to_have_text("2")
    assert page.locator(".figures a, table.stories td a").count() == 0  # no link to the people
    page.context.close()
    people = f"{report_url}/people?figure=opens"
    for who, status in (("viewer", 403), ("publisher", 403), ("editor of another list", 403), ("admin", 200)):
        with newsroom.browser(who) as client:
            assert client.get(people).status_code == status, who
        with newsroom.browser(who) as client:  # the report itself: anyone who may read the list
            assert client.get(report_url).status_code == (403 if who == "editor of another list" else 200), who
    with newsroom.browser("admin") as client:
        wrong = client.get(f"{report_url}/people?figure=everyone")
        assert wrong.status_code == 422 and "no figure &#39;everyone&#39;" in wrong.text
    assert httpx.get(people, timeout=10, follow_redirects=False).status_code in (302, 303)  # signed out: sign in
