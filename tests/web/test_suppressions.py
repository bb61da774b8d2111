"""The admin console's suppressions, bounces and complaints, served on loopback on SQLite and
PostgreSQL: only admins get in; an address is suppressed with a reason and a note and found by its
address; a suppression is taken off behind a confirmation with a note; both go to the audit log
(which names the suppression, not the address); an erased person's row keeps no address and stays;
the provider's bounces and complaints list newest first by kind and date, a page at a time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import lxml.html
import pytest
from sqlalchemy import select

from digest.accounts import audit
from digest.audience import privacy
from digest.deliver.tracking import Cause, EventKind, ProviderEvent, apply
from digest.domain import Delivery
from digest.store.deliveries import insert_deliveries
from digest.store.tables import deliveries
from subscribers.service import find_subscriber
from subscribers.suppression import suppression_of
from tests.web.newsroom import open_newsroom

PAGE = "/admin/suppressions"


@pytest.fixture
def room(instance, db_url):
    newsroom, server = open_newsroom(instance, database_url=db_url)
    with server:
        yield newsroom
    newsroom.engine.dispose()


def _rows(html: str, table: str = "suppressions") -> list[list[str]]:
    page = lxml.html.document_fromstring(html)
    return [[" ".join(td.text_content().split()) for td in tr.xpath("td")]
            for tr in page.xpath(f'//table[@class="{table}"]/tbody/tr')]  # fmt: skip


def _add(
    admin: httpx.Client, csrf: str, address: str, reason: str = "manual", note: str = ""
) -> httpx.Response:
    return admin.post(PAGE, data={"csrf": csrf, "address": address, "reason": reason, "note": note})


def test_only_admins_see_the_suppressions_and_the_bounces(room):
    pages = [PAGE, "/admin/bounces"]
    with room.browser("admin") as admin:
        assert _add(admin, room.csrf("admin"), "x@example.org").status_code == 303
        [row] = _rows(admin.get(PAGE).text)
        sid = re.search(r"/admin/suppressions/(\d+)/remove", admin.get(PAGE).text).group(1)  # type: ignore[union-attr]
        pages.append(f"{PAGE}/{sid}/remove")
        assert 'href="/admin/suppressions"' in admin.get("/newsroom").text
        assert all(admin.get(p).status_code == 200 for p in pages)
    for who in ("viewer", "editor", "publisher"):
        with room.browser(who) as browser:
            assert "/admin/suppressions" not in browser.get("/newsroom").text
            assert all(browser.get(p).status_code == 403 for p in pages), who
            assert _add(browser, room.csrf(who), "y@example.org").status_code == 403
            refused = browser.post(f"{PAGE}/{sid}/remove", data={"csrf": room.csrf(who), "note": "n"})
            assert refused.status_code == 403
    with httpx.Client(base_url=room.url, timeout=10) as visitor:
        answer = visitor.get(PAGE)
        assert answer.status_code == 303 and answer.headers["location"] == f"/signin?next={PAGE}"
    with room.engine.connect() as conn:
        assert suppression_of(conn, "y@example.org") is None
        assert suppression_of(conn, "x@example.org") is not None


def test_an_address_is_suppressed_with_a_note_found_by_its_address_and_audited(room):
    csrf = room.csrf("admin")
    with room.browser("admin") as admin:
        assert (
            admin.post(PAGE, data={"address": "ada@example.org", "note": "n"}).status_code == 403
        )  # no CSRF
        added = _add(admin, csrf, " Ada@Example.org ", "complaint", "asked by phone  on Monday")
        assert added.status_code == 303
        shown = admin.get(added.headers["location"])
        assert "The address is suppressed." in shown.text
        [row] = _rows(shown.text)
        assert row[0] == "Ada@example.org" and row[1] == "complaint" and row[3] == "Admin <admin@example.org>"
        assert row[4] == "asked by phone on Monday"
        assert _rows(admin.get(PAGE, params={"address": "ada@EXAMPLE.org"}).text)[0][0] == "Ada@example.org"
        assert (
            "This address is not suppressed." in admin.get(PAGE, params={"address": "grace@example.org"}).text
        )
        again = _add(admin, csrf, "ada@example.org", "manual")
        assert again.status_code == 409 and "already suppressed" in again.text
        wrong = _add(admin, csrf, "not an address")
        assert wrong.status_code == 422 and "address" in wrong.text and 'value="not an address"' in wrong.text
        erased = _add(admin, csrf, "z@example.org", "erased")
        assert erased.status_code == 422 and "reason" in erased.text
        assert _rows(admin.get(PAGE, params={"reason": "manual"}).text) == []
        assert len(_rows(admin.get(PAGE, params={"reason": "complaint"}).text)) == 1
    [entry] = audit.entries(room.engine, action="suppression.add")
    assert entry.actor == "Admin <admin@example.org>" and entry.object_type == "suppression"
    assert entry.details == {"reason": "complaint", "note": "asked by phone on Monday"}
    assert "ada" not in str(entry.details).casefold()  # the log names the row, not the address


def test_a_suppression_is_taken_off_with_a_note_and_an_erased_persons_stays_without_its_address(room):
    csrf = room.csrf("admin")
    with room.browser("admin") as admin:
        _add(admin, csrf, "grace@example.org", "bounce", "her server said so")
        sid = re.search(r"/admin/suppressions/(\d+)/remove", admin.get(PAGE).text).group(1)  # type: ignore[union-attr]
        form = admin.get(f"{PAGE}/{sid}/remove")
        assert "Mail grace@example.org again?" in form.text and "her server said so" in form.text
        assert admin.post(f"{PAGE}/{sid}/remove", data={"note": "fixed"}).status_code == 403  # no CSRF
        bare = admin.post(f"{PAGE}/{sid}/remove", data={"csrf": csrf, "note": "  "})
        assert bare.status_code == 422 and "note" in bare.text
        gone = admin.post(f"{PAGE}/{sid}/remove", data={"csrf": csrf, "note": "her mailbox works again"})
        assert gone.status_code == 303 and "taken off" in admin.get(gone.headers["location"]).text
        assert admin.get(f"{PAGE}/{sid}/remove").status_code == 404
        [entry] = audit.entries(room.engine, action="suppression.remove")
        assert entry.object_id == sid and entry.details["note"] == "her mailbox works again"
        assert entry.details["reason"] == "bounce"
        # a bounced address, then erased: the row stays, with neither the address nor the note
        _add(admin, csrf, "jean@example.fr", "bounce", "Jean Dupont's old mailbox")
        privacy.erase_address(room.app.state.site.audience, "jean@example.fr")
        [row] = _rows(admin.get(PAGE, params={"address": "jean@example.fr"}).text)
        assert row[0] == "not kept" and row[1] == "erased" and row[4] == "" and "Take off" not in row[5]
        privacy.erase_address(room.app.state.site.audience, "nobody@example.org")
        assert [r[0] for r in _rows(admin.get(PAGE, params={"reason": "erased"}).text)] == ["not kept"] * 2
        erased_id = int(sid) + 1  # jean's
        kept = admin.post(f"{PAGE}/{erased_id}/remove", data={"csrf": csrf, "note": "please"})
        assert kept.status_code == 409 and "erased" in kept.text
    with room.engine.connect() as conn:
        assert suppression_of(conn, "nobody@example.org") is not None
        assert find_subscriber(conn, "jean@example.fr") is None


def _events(room, n: int, start: datetime) -> None:  # noqa: ANN001
    """n bounces, drops and complaints of ada's delivery of the edition, a minute apart."""
    ada = "ada@example.org"
    with room.engine.begin() as conn:
        sub = find_subscriber(conn, ada)
        insert_deliveries(conn, room.edition_id, [Delivery(room.edition_id, sub.id, ada)])  # type: ignore[union-attr]
        delivery_id = conn.execute(select(deliveries.c.id)).scalar_one()
    kinds = [
        (EventKind.BOUNCED, Cause.SOFT_BOUNCE),
        (EventKind.DROPPED, Cause.OTHER),
        (EventKind.COMPLAINED, None),
    ]
    events = [
        ProviderEvent("sendgrid", f"ev-{i:03d}", kinds[i % 3][0], ada, delivery_id if i % 2 else None,
                      kinds[i % 3][1], f"reason {i}", start + timedelta(minutes=i))
        for i in range(n)
    ]  # fmt: skip
    events.append(ProviderEvent("sendgrid", "delivered", EventKind.DELIVERED, ada, delivery_id, at=start))
    apply(room.engine, events)


def test_bounces_and_complaints_list_newest_first_by_kind_and_date_a_page_at_a_time(room):
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    _events(room, 130, start)
    with room.browser("admin") as admin:
        first = admin.get("/admin/bounces")
        rows = _rows(first.text, "bounces")
        assert len(rows) == 50 and rows[0][4] == "reason 129" and rows[49][4] == "reason 80"
        assert (
            rows[0][1] == "bounced (sendgrid)"
            and rows[0][2] == "ada@example.org"
            and rows[0][3] == f"#{room.edition_id}"
        )
        assert rows[1][2] == "not known"  # no delivery row (a notice, say): no address kept
        seen = [r[4] for r in rows]
        link = lxml.html.document_fromstring(first.text).xpath('//a[@rel="next"]/@href')
        while link:
            page = admin.get(link[0])
            seen += [r[4] for r in _rows(page.text, "bounces")]
            link = lxml.html.document_fromstring(page.text).xpath('//a[@rel="next"]/@href')
        assert seen == [f"reason {i}" for i in range(129, -1, -1)]  # each once, none skipped
        complaints = _rows(admin.get("/admin/bounces", params={"kind": "complained"}).text, "bounces")
        assert [r[4] for r in complaints][:2] == ["reason 128", "reason 125"]
        assert {r[1] for r in complaints} == {"complained (sendgrid)"}
        day = _rows(
            admin.get("/admin/bounces", params={"from": "2026-11-02", "to": "2026-11-02"}).text, "bounces"
        )
        assert day[0][4] == "reason 129"
        later = admin.get("/admin/bounces", params={"from": "2026-11-03"})
        assert "Nothing reported." in later.text
        bad = admin.get("/admin/bounces", params={"kind": "opened"})
        assert bad.status_code == 422 and "kind" in bad.text
        bad = admin.get("/admin/bounces", params={"from": "yesterday"})
        assert bad.status_code == 422 and "from" in bad.text
        # the complaint suppressed the address, added by the provider
        [row] = _rows(admin.get(PAGE, params={"address": "ada@example.org"}).text)
        assert row[1] == "complaint" and row[3] == "sendgrid"
        privacy.erase_address(room.app.state.site.audience, "ada@example.org")
        rows = _rows(admin.get("/admin/bounces").text, "bounces")
        assert rows[0][2] == "erased" and "ada@" not in admin.get("/admin/bounces").text
