"""Unsubscribing over a real server: RFC 8058 one-click POST, the one-button page, bad tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from digest.audience.privacy import erase
from subscribers import tables as t
from subscribers.models import Subscriber
from subscribers.service import membership_status, set_status, upsert_subscriber
from subscribers.tokens import Tokens
from tests.servers.web import csrf_of


def member(engine, email: str, *lists: str) -> int:
    with engine.begin() as conn:
        sid, _ = upsert_subscriber(conn, Subscriber(email))
        for list_id in lists:
            set_status(conn, sid, list_id, "confirmed", method="admin", wording="test")
    return sid


def status(engine, sid: int, list_id: str) -> str | None:
    with engine.connect() as conn:
        return membership_status(conn, sid, list_id)


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_one_click_post_unsubscribes_at_once_without_redirect_or_cookie(site, encoding):
    sid = member(site.engine, "ann@example.org", "world", "monde")
    token = site.sign("unsubscribe", sid, "world")
    with site.client() as http:
        if encoding == "urlencoded":
            response = http.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"})
        else:
            response = http.post(f"/u/{token}", files={"List-Unsubscribe": (None, "One-Click")})
        assert not http.cookies, "the one-click answer must not need or set a cookie"
    assert response.status_code == 200
    assert "location" not in response.headers
    assert "set-cookie" not in response.headers
    assert status(site.engine, sid, "world") == "unsubscribed"
    assert status(site.engine, sid, "monde") == "confirmed", "only the link's list is left"
    with site.engine.connect() as conn:
        event = conn.execute(
            select(t.consent_events).where(t.consent_events.c.status == "unsubscribed")
        ).one()
    assert (event.method, event.origin, event.list_id) == ("one-click", "127.0.0.1", "world")


def test_one_click_twice_is_harmless(site):
    sid = member(site.engine, "ann@example.org", "world")
    token = site.sign("unsubscribe", sid, "world")
    with site.client() as http:
        first = http.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"})
        second = http.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"})
    assert (first.status_code, second.status_code) == (200, 200)
    with site.engine.connect() as conn:
        events = conn.execute(select(t.consent_events.c.status)).scalars().all()
    assert events.count("unsubscribed") == 1


def test_get_shows_one_button_and_unsubscribes_nobody(site):
    sid = member(site.engine, "ann@example.org", "monde")
    token = site.sign("unsubscribe", sid, "monde")
    with site.client() as http:
        for _ in range(3):  # a scanner may fetch it several times, HEAD too
            page = http.get(f"/u/{token}")
            http.head(f"/u/{token}")
    assert page.status_code == 200
    assert status(site.engine, sid, "monde") == "confirmed"
    assert page.text.count("<form") == 1
    assert 'lang="fr"' in page.text and "Me désabonner" in page.text  # the list's language
    assert "Le Monde en bref" in page.text


def test_page_button_unsubscribes_with_its_csrf_field_only(site):
    sid = member(site.engine, "ann@example.org", "world")
    token = site.sign("unsubscribe", sid, "world")
    with site.client() as http:
        forged = http.post(f"/u/{token}", data={"action": "list"})
        assert forged.status_code == 403
        assert status(site.engine, sid, "world") == "confirmed"
        field = csrf_of(http.get(f"/u/{token}").text)
        done = http.post(f"/u/{token}", data={"action": "list", "csrf": field})
    assert done.status_code == 200
    assert "You are unsubscribed" in done.text
    assert status(site.engine, sid, "world") == "unsubscribed"


def test_unsubscribe_from_everything(site):
    sid = member(site.engine, "ann@example.org", "world", "monde", "offen")
    token = site.sign("unsubscribe", sid, "world")
    with site.client() as http:
        field = csrf_of(http.get(f"/u/{token}").text)
        done = http.post(f"/u/{token}", data={"action": "all", "csrf": field})
    assert done.status_code == 200
    assert [status(site.engine, sid, x) for x in ("world", "monde", "offen")] == ["unsubscribed"] * 3


def _tampered(token: str) -> str:
    body, _, signature = token.rpartition(".")
    flipped = "A" if signature[0] != "A" else "B"
    return f"{body}.{flipped}{signature[1:]}"


@pytest.mark.parametrize(
    "forge",
    [
        lambda site, sid: _tampered(site.sign("unsubscribe", sid, "world")),
        lambda site, sid: site.sign("unsubscribe", sid, "world", Tokens("another-instance")),
        lambda site, sid: site.sign("preferences", sid, "world"),  # meant for another page
        lambda site, sid: site.sign("confirm", sid, "world"),
        lambda site, sid: site.sign("unsubscribe", sid, "no-such-list"),
        lambda site, sid: site.sign("unsubscribe", sid, None),
        lambda site, sid: "not-a-token",
    ],
    ids=[
        "tampered",
        "foreign-secret",
        "preferences-token",
        "confirm-token",
        "unknown-list",
        "no-list",
        "junk",
    ],
)
def test_bad_tokens_get_400_and_change_nothing(site, forge):
    sid = member(site.engine, "ann@example.org", "world")
    token = forge(site, sid)
    with site.client() as http:
        page = http.get(f"/u/{token}")
        post = http.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"})
    assert (page.status_code, post.status_code) == (400, 400)
    assert status(site.engine, sid, "world") == "confirmed"
    with site.engine.connect() as conn:
        assert conn.execute(select(t.consent_events.c.status)).scalars().all() == ["confirmed"]


def test_link_of_an_erased_subscriber_answers_without_error(site):
    sid = member(site.engine, "ann@example.org", "world")
    token = site.sign("unsubscribe", sid, "world")
    with site.engine.begin() as conn:
        erase(conn, "ann@example.org")
    with site.client() as http:
        assert http.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"}).status_code == 200
        assert http.get(f"/u/{token}").status_code == 200


def test_pages_send_protective_headers(site):
    sid = member(site.engine, "ann@example.org", "world")
    with site.client() as http:
        page = http.get(f"/u/{site.sign('unsubscribe', sid, 'world')}")
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_access_log_hides_the_tokens():
    import logging

    from digest.web.middleware import RedactTokens

    token = Tokens("k").sign("unsubscribe", 1, "world")
    for path in (f"/u/{token}", f"/p/{token}", f"/confirm/{token}/renew", f"/review/{token}"):
        record = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            "",
            0,
            '%s - "%s %s HTTP/%s" %d',
            ("1.2.3.4", "POST", path, "1.1", 200),
            None,
        )
        RedactTokens().filter(record)
        assert token not in record.getMessage() and "[token]" in record.getMessage()


@pytest.mark.parametrize(
    "header, language",
    [("fr-CH, fr;q=0.9, en;q=0.8", "fr"), ("pt-BR,de;q=0.7,it;q=0.8", "it"), ("*", None), ("", None), ("es;q=x", None)],
)
def test_the_browsers_language_is_the_first_we_have_words_for(header, language):
    from digest.web.i18n import accepted

    assert accepted(header) == language


@pytest.mark.parametrize("chunked", [False, True])
def test_oversized_bodies_are_refused(site, chunked):
    sid = member(site.engine, "ann@example.org", "world")
    body = b"List-Unsubscribe=One-Click&pad=" + b"x" * 100_000
    content = iter([body[i : i + 8192] for i in range(0, len(body), 8192)]) if chunked else body
    headers = {"content-type": "application/x-www-form-urlencoded"}
    with site.client() as http:
        answer = http.post(
            f"/u/{site.sign('unsubscribe', sid, 'world')}", content=content, headers=headers
        )
    assert answer.status_code == 413
    assert status(site.engine, sid, "world") == "confirmed"
