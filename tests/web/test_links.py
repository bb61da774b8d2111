"""A link in mail acts on the person it was mailed to, and on nobody else, ever.

Ids are never reused (AUTOINCREMENT on SQLite, sequences on PostgreSQL), and every /u/, /p/ and
/confirm/ token carries the subscriber's own nonce, which erasure takes away with the person.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from digest.audience.privacy import erase
from subscribers import tables as t
from subscribers.service import find_subscriber, membership_status
from tests.servers.web import csrf_of


def links_in(text: str) -> dict[str, str]:
    text = text.replace("=\n", "")
    return {kind: re.search(rf"https?://[^/\s]+(/{kind}/[A-Za-z0-9_.\-]+)", text).group(1) for kind in ("u", "p")}


def join(site, http, email: str) -> dict[str, str]:
    """Subscribe through the form and confirm: the links of the confirmation and the welcome mail."""
    field = csrf_of(http.get("/subscribe/world").text)
    assert http.post("/subscribe/world", data={"email": email, "csrf": field}).status_code == 200
    confirm = site.link_in(site.sent[-1])
    page = http.get(confirm)
    assert http.post(confirm, data={"csrf": csrf_of(page.text)}).status_code == 200
    return {"confirm": confirm, **links_in(site.sent[-1].text)}


def subscriber(engine, email: str):
    with engine.connect() as conn:
        return find_subscriber(conn, email)


def status(engine, email: str) -> str | None:
    sub = subscriber(engine, email)
    with engine.connect() as conn:
        return membership_status(conn, sub.id, "world")


def assert_links_act_on_nobody(site, http, old: dict[str, str], newcomer: str) -> None:
    page = http.get(old["p"])
    assert page.status_code == 400 and newcomer not in page.text
    assert newcomer not in http.get(old["u"]).text
    http.post(old["u"], data={"List-Unsubscribe": "One-Click"})
    field = csrf_of(http.get("/subscribe/world").text)  # a valid CSRF field, as a forged form would have
    http.post(old["p"], data={"action": "leave_all", "csrf": field})
    assert newcomer not in http.get(old["confirm"]).text
    assert status(site.engine, newcomer) == "confirmed"


def test_an_erased_persons_old_links_never_act_on_the_newcomer(site):
    with site.client() as http:
        old = join(site, http, "ann@example.org")
        erased = subscriber(site.engine, "ann@example.org").id
        with site.engine.begin() as conn:
            erase(conn, "ann@example.org")
        join(site, http, "bob@example.org")
        assert subscriber(site.engine, "bob@example.org").id > erased  # the id is never handed out again
        assert_links_act_on_nobody(site, http, old, "bob@example.org")


def test_a_link_is_bound_to_its_person_even_where_an_id_was_reused(site):
    """Before migration 0006 SQLite did reuse ids: even then an old link must not act on the new holder."""
    with site.client() as http:
        old = join(site, http, "ann@example.org")
        ann = subscriber(site.engine, "ann@example.org").id
        with site.engine.begin() as conn:
            erase(conn, "ann@example.org")
            conn.execute(insert(t.subscribers).values(id=ann, email="bob@example.org", email_key="bob@example.org",
                                                      attributes={}, created_at=datetime.now(UTC)))
            conn.execute(insert(t.memberships).values(subscriber_id=ann, list_id="world", status="confirmed",
                                                      status_changed_at=datetime.now(UTC), created_at=datetime.now(UTC)))
        assert_links_act_on_nobody(site, http, old, "bob@example.org")


def test_links_mailed_before_nonces_keep_working_for_the_people_of_that_time(site):
    """A subscriber from before 0006 has no nonce, and the links mailed to them carry none."""
    with site.client() as http:
        join(site, http, "ann@example.org")
    ann = subscriber(site.engine, "ann@example.org").id
    with site.engine.begin() as conn:  # as 0006 leaves a subscriber it found
        conn.execute(update(t.subscribers).values(token_nonce=None, created_at=datetime.now(UTC) - timedelta(days=30)))
    legacy = site.tokens.sign("preferences", ann)  # the old payload: [id, list]
    with site.client() as http:
        page = http.get(f"/p/{legacy}")
        assert page.status_code == 200 and "ann@example.org" in page.text
        with site.engine.begin() as conn:  # ...but one signed before the row existed was someone else's
            conn.execute(update(t.subscribers).values(created_at=datetime.now(UTC) + timedelta(minutes=5)))
        assert http.get(f"/p/{legacy}").status_code == 400
    with site.engine.connect() as conn:
        assert conn.execute(select(t.subscribers.c.token_nonce)).scalar() is None
