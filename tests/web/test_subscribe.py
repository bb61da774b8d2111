"""Joining a list over a real server: the form, double opt-in, expired links, the rate limit, languages."""

from __future__ import annotations

import html
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from digest.deliver.notices import NoticeError
from subscribers import tables as t
from subscribers.models import MailingList, Subscriber
from subscribers.service import find_subscriber, membership_status, set_status, sync_lists, upsert_subscriber
from subscribers.suppression import suppress
from tests.servers.web import LISTS, csrf_of


def subscribe(http, list_id: str, email: str, name: str = ""):
    field = csrf_of(http.get(f"/subscribe/{list_id}").text)
    return http.post(f"/subscribe/{list_id}", data={"email": email, "name": name, "csrf": field})


def status_of(engine, email: str, list_id: str) -> str | None:
    with engine.connect() as conn:
        sub = find_subscriber(conn, email)
        return membership_status(conn, sub.id, list_id) if sub else None


def confirm(http, path: str):
    page = http.get(path)
    return page, http.post(path, data={"csrf": csrf_of(page.text)})


def test_double_opt_in_from_form_to_confirmed(site):
    with site.client() as http:
        answer = subscribe(http, "world", "Reader@Example.ORG", "Rita")
        assert answer.status_code == 200 and "Check your inbox" in answer.text
        assert status_of(site.engine, "reader@example.org", "world") == "pending"
        [mail] = site.sent
        assert (mail.to, mail.list_id) == ("Reader@Example.ORG", "world")
        assert "The World" in mail.subject
        link = site.link_in(mail)
        assert link in mail.html
        page, done = confirm(http, link)
        assert page.status_code == 200 and "Reader@example.org" in page.text
        assert done.status_code == 200 and "Subscription confirmed" in done.text
        assert status_of(site.engine, "reader@example.org", "world") == "confirmed"
        again = http.post(link, data={"csrf": csrf_of(page.text)})
        assert again.status_code == 200 and "already confirmed" in again.text
    with site.engine.connect() as conn:
        events = conn.execute(select(t.consent_events).order_by(t.consent_events.c.id)).all()
    assert [(e.status, e.method, e.origin) for e in events] == [
        ("pending", "form", "127.0.0.1"),
        ("confirmed", "link", "127.0.0.1"),
    ]
    assert events[0].wording.startswith("subscribe-") and events[0].wording.endswith("/en")


def test_fetching_the_confirm_link_confirms_nothing(site):
    with site.client() as http:
        subscribe(http, "world", "reader@example.org")
        link = site.link_in(site.sent[0])
        for _ in range(3):
            assert http.get(link).status_code == 200
    assert status_of(site.engine, "reader@example.org", "world") == "pending"


def test_expired_confirmation_link_explains_itself_and_offers_a_new_one(site, monkeypatch):
    with site.client() as http:
        subscribe(http, "world", "late@example.org")
        sid = find_sid(site.engine, "late@example.org")
        eight_days_ago = int(time.time()) - 8 * 86400
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: eight_days_ago)
        old = "/confirm/" + site.sign("confirm", sid, "world")
        monkeypatch.undo()
        page = http.get(old)
        assert page.status_code == 410
        assert "expired" in page.text and "7 days" in page.text and "Send me a new link" in page.text
        refused = http.post(old, data={"csrf": csrf_of(page.text)})
        assert refused.status_code == 410
        assert status_of(site.engine, "late@example.org", "world") == "pending"
        renewed = http.post(f"{old}/renew", data={"csrf": csrf_of(page.text)})
        assert renewed.status_code == 200 and "Check your inbox" in renewed.text
        assert len(site.sent) == 2
        _, done = confirm(http, site.link_in(site.sent[1]))
        assert done.status_code == 200
    assert status_of(site.engine, "late@example.org", "world") == "confirmed"


def find_sid(engine, email: str) -> int:
    with engine.connect() as conn:
        return find_subscriber(conn, email).id


def test_repeated_requests_for_one_address_are_rate_limited(site):
    with site.client() as http:
        answers = [
            subscribe(http, "world", email) for email in ["flood@example.org", "FLOOD@example.org"] * 2
        ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "Too many requests" in answers[-1].text
    assert len(site.sent) == 3, "the fourth request sends nothing"


def test_one_client_cannot_flood_many_addresses(site):
    with site.client() as http:
        codes = [subscribe(http, "world", f"victim{i}@example.org").status_code for i in range(7)]
    assert codes == [200] * 6 + [429]  # six per client per hour in the test set-up
    assert len(site.sent) == 6


def test_answer_reveals_nothing_and_sends_nothing_for_members_and_suppressed(site):
    with site.engine.begin() as conn:
        sid, _ = upsert_subscriber(conn, Subscriber("member@example.org", name="Kept Name"))
        set_status(conn, sid, "world", "confirmed", method="admin", wording="test")
        suppress(conn, "gone@example.org", "complaint")
    with site.client() as http:
        fresh = subscribe(http, "world", "new@example.org")
        known = subscribe(http, "world", "member@example.org", "Someone Else")
        blocked = subscribe(http, "world", "Gone@Example.org")
    assert fresh.status_code == known.status_code == blocked.status_code == 200
    body = lambda r: r.text.split("<main>")[1]  # noqa: E731
    assert body(fresh) == body(known) == body(blocked)
    assert [m.to for m in site.sent] == ["new@example.org"]
    with site.engine.connect() as conn:
        assert find_subscriber(conn, "member@example.org").name == "Kept Name"
        assert find_subscriber(conn, "gone@example.org") is None


def test_invalid_address_is_explained(site):
    with site.client() as http:
        answer = subscribe(http, "world", "not-an-address", "<b>Bob</b>")
    assert answer.status_code == 422
    assert "not valid" in answer.text and "@-sign" in answer.text
    assert "&lt;b&gt;Bob&lt;/b&gt;" in answer.text and "<b>Bob" not in answer.text
    assert site.sent == []


def test_form_without_its_csrf_field_is_refused(site):
    with site.client() as http:
        answer = http.post("/subscribe/world", data={"email": "x@example.org"})
    assert answer.status_code == 403
    assert site.sent == [] and status_of(site.engine, "x@example.org", "world") is None


def test_list_without_double_opt_in_confirms_at_once(site):
    with site.client() as http:
        answer = subscribe(http, "offen", "direct@example.org")
    assert answer.status_code == 200 and 'lang="de"' in answer.text
    assert status_of(site.engine, "direct@example.org", "offen") == "confirmed"
    assert site.sent == []


def test_unknown_list_is_404(site):
    with site.client() as http:
        assert http.get("/subscribe/nope").status_code == 404


@pytest.mark.parametrize(
    "language, words",
    [
        ("en", "Subscribe"),
        ("fr", "S'abonner"),
        ("de", "Abonnieren"),
        ("es", "Suscribirme"),
        ("it", "Iscriviti"),
    ],
)
def test_pages_and_mail_speak_the_list_language(site, language, words):
    lst = MailingList(id=f"l-{language}", name=f"<i>List</i> {language}", language=language, from_address="a@example.org")
    with site.engine.begin() as conn:
        sync_lists(conn, LISTS + [lst])
    with site.client() as http:
        page = http.get(f"/subscribe/{lst.id}")
        assert f'lang="{language}"' in page.text and words in html.unescape(page.text)
        assert "&lt;i&gt;List&lt;/i&gt;" in page.text and "<i>List" not in page.text
        subscribe(http, lst.id, "polyglot@example.org")
        page, done = confirm(http, site.link_in(site.sent[0]))
    assert f'lang="{language}"' in page.text and f'lang="{language}"' in done.text
    assert site.sent[0].html.startswith("<!doctype html>") and f'lang="{language}"' in site.sent[0].html
    if language != "en":
        assert "Confirm your subscription" not in site.sent[0].subject


def test_a_confirmation_that_does_not_go_out_says_so_and_the_request_waits(site):
    with site.client() as http:
        for failure in (NoticeError("the smtp backend did not take the message: relay down"), RuntimeError("no")):
            site.fail = failure  # the backend's answer, or anything else that stops the mail
            answer = subscribe(http, "world", "late@example.org")
            assert answer.status_code == 503 and "could not send the message just now" in answer.text
            assert status_of(site.engine, "late@example.org", "world") == "pending"
        site.fail = None
        assert subscribe(http, "world", "late@example.org").status_code == 200  # asking again works
    assert [m.to for m in site.sent] == ["late@example.org"]


def test_a_name_too_long_is_explained_and_nothing_is_stored(site):
    with site.client() as http:
        answer = subscribe(http, "world", "long@example.org", "n" * 201)
    assert answer.status_code == 422 and "at most 200 characters" in answer.text
    assert status_of(site.engine, "long@example.org", "world") is None and site.sent == []
