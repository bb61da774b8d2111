"""Bulk actions on a search, served on loopback: counted and confirmed, then run as a job whose page
shows its progress and report; each action does what it says to the people found and no one else,
records consent events, goes to the audit log twice (asked, done), and done again changes nothing."""

from __future__ import annotations

import re
import time

import lxml.html

from digest.accounts import audit
from digest.audience import lists
from subscribers.models import MembershipStatus
from subscribers.service import find_subscriber, membership_status
from subscribers.suppression import suppression_of
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)

BULK = "/admin/subscribers/bulk"


def _run(room, search: dict[str, str], **action: str) -> str:  # noqa: ANN001
    """Review the action, confirm it, follow the job to its end; the finished job page."""
    with room.browser("admin") as admin:
        review = admin.get(BULK, params={**search, **action})
        assert review.status_code == 200, review.text[-1500:]
        form = lxml.html.document_fromstring(review.text).xpath('//form[starts-with(@action, "/admin/subscribers/bulk")]')[0]
        fields = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
        started = admin.post(form.get("action"), data=fields)
        assert started.status_code == 303 and re.fullmatch(r"/admin/jobs/\d+", started.headers["location"]), started.headers
        deadline = time.monotonic() + 30
        while "Done." not in (page := admin.get(started.headers["location"]).text) and time.monotonic() < deadline:
            assert "Failed" not in page, page[-1500:]
            time.sleep(0.1)
        return page


def _figures(page: str) -> dict[str, str]:
    rows = lxml.html.document_fromstring(page).xpath('//table[@class="summary"]//tr')
    return {r.xpath("th")[0].text_content(): r.xpath("td")[0].text_content() for r in rows}


def test_a_bulk_suppress_on_a_search_suppresses_exactly_those_found(newsroom):  # noqa: F811
    with newsroom.browser("admin") as admin:
        review = admin.get(BULK, params={"prefix": "gr", "action": "suppress"})
        assert "Suppress 2 subscribers?" in review.text and "gr" in review.text
    page = _run(newsroom, {"prefix": "gr"}, action="suppress")
    assert _figures(page) == {"Subscribers found": "2", "Changed": "2", "Already so, unchanged": "0"}
    with newsroom.engine.connect() as conn:
        assert suppression_of(conn, "grace@example.org") and suppression_of(conn, "greta@example.de")
        assert suppression_of(conn, "ada@example.org") is None
    again = _run(newsroom, {"prefix": "gr"}, action="suppress")  # done twice: done once
    assert _figures(again)["Changed"] == "0"
    actions = [e.action for e in audit.entries(newsroom.engine)]
    assert actions.count("subscribers.bulk.suppress") == 2 and actions.count("subscribers.bulk.suppress.done") == 2


def _another_list(room) -> None:  # noqa: ANN001
    lists.create(room.app.state.site.audience, "other", "Other news", from_address="other@example.org",
                 from_name="Other news")  # fmt: skip


def test_unsubscribe_add_and_remove_change_only_the_list_named(newsroom):  # noqa: F811
    _another_list(newsroom)
    _run(newsroom, {"language": "en"}, action="unsubscribe", target="world")
    with newsroom.engine.connect() as conn:
        ada = find_subscriber(conn, "ada@example.org")
        jean = find_subscriber(conn, "jean@example.fr")
        assert membership_status(conn, ada.id, "world") == MembershipStatus.UNSUBSCRIBED
        assert membership_status(conn, jean.id, "world") == MembershipStatus.CONFIRMED
    page = _run(newsroom, {"list_id": "world", "status": "confirmed"}, action="add", target="other",
                consent="met at the fair, 2026")  # fmt: skip
    assert _figures(page)["Changed"] == "2"  # jean and greta: the two still confirmed on world
    with newsroom.engine.connect() as conn:
        assert membership_status(conn, jean.id, "other") == MembershipStatus.CONFIRMED
        assert membership_status(conn, ada.id, "other") is None
    _run(newsroom, {"list_id": "other"}, action="remove", target="other")
    with newsroom.engine.connect() as conn:
        assert membership_status(conn, jean.id, "other") is None
        assert membership_status(conn, jean.id, "world") == MembershipStatus.CONFIRMED


def test_an_action_that_cannot_run_says_why_and_starts_nothing(newsroom):  # noqa: F811
    _another_list(newsroom)
    with newsroom.browser("admin") as admin:
        no_consent = admin.get(BULK, params={"prefix": "gr", "action": "add", "target": "other"})
        assert no_consent.status_code == 422 and "say where the consent" in no_consent.text
        no_list = admin.get(BULK, params={"action": "remove"})
        assert no_list.status_code == 422 and "say which list" in no_list.text
        unknown = admin.get(BULK, params={"action": "explode"})
        assert unknown.status_code == 422 and "is not one of" in unknown.text
        forged = admin.post(BULK + "?prefix=gr", data={"action": "suppress"})  # no CSRF token
        assert forged.status_code == 403
        assert "No job has run yet." in admin.get("/admin/jobs").text
    for who in ("viewer", "editor", "publisher"):
        with newsroom.browser(who) as browser:
            assert browser.get(BULK, params={"action": "suppress"}).status_code == 403
            refused = browser.post(BULK, data={"csrf": newsroom.csrf(who), "action": "suppress"})
            assert refused.status_code == 403 and browser.get("/admin/jobs").status_code == 403
