"""The admin console's subscribers, served on loopback: only admins get in; the table searches and
pages by its links; a subscriber's page tells their memberships, consent and mail; their privacy
export downloads; erasure takes a typed confirmation and the CSRF token, and goes to the audit log;
the table's CSV download has the table's filters and runs no formula."""

from __future__ import annotations

import csv
import io
import json
import re

import httpx
import lxml.html

from digest.accounts import audit
from digest.audience import console
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)

TABLE = "/admin/subscribers"


def _rows(html: str) -> list[str]:
    page = lxml.html.document_fromstring(html)
    return [" ".join(td.text_content().split()) for td in page.xpath('//table[@class="subscribers"]//tr/td[1]')]


def _id_of(room, email: str) -> int:  # noqa: ANN001
    with room.browser("admin") as admin:
        html = admin.get(TABLE, params={"prefix": email}).text
    found = re.search(r'href="/admin/subscribers/(\d+)">' + re.escape(email), html)
    assert found, html[-2000:]
    return int(found.group(1))


def test_only_admins_see_the_console_and_its_link(newsroom):  # noqa: F811
    sid = _id_of(newsroom, "ada@example.org")
    pages = [TABLE, f"{TABLE}/export.csv", f"{TABLE}/{sid}", f"{TABLE}/{sid}/privacy.json", f"{TABLE}/{sid}/erase"]
    for who in ("viewer", "editor", "publisher"):
        with newsroom.browser(who) as browser:
            assert "/admin/subscribers" not in browser.get("/newsroom").text  # not in their navigation
            for path in pages:
                assert browser.get(path).status_code == 403, (who, path)
            refused = browser.post(f"{TABLE}/{sid}/erase", data={"csrf": newsroom.csrf(who), "confirm": "ada@example.org"})
            assert refused.status_code == 403
    with httpx.Client(base_url=newsroom.url) as anonymous:
        for path in pages:
            answer = anonymous.get(path)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/signin?next=/admin/subscribers")
    with newsroom.browser("admin") as admin:
        assert 'href="/admin/subscribers"' in admin.get("/newsroom").text
        assert all(admin.get(path).status_code == 200 for path in pages)
    assert console.subscriber_page(newsroom.app.state.site.audience, sid).email == "ada@example.org"


def test_the_table_searches_counts_and_pages_by_its_links(newsroom):  # noqa: F811
    with newsroom.browser("admin") as admin:
        page = admin.get(TABLE)
        assert page.status_code == 200
        assert len(_rows(page.text)) == 6 and "Counted at" in page.text
        counts = lxml.html.document_fromstring(page.text).xpath('//table[@class="counts"]//tr[th/a]')
        world = [td.text_content() for td in next(r for r in counts if "world" in r.text_content()).xpath("td")]
        assert world == ["1", "4", "1", "0", "0"]  # pending, confirmed, unsubscribed, bounced, complained
        assert _rows(admin.get(TABLE, params={"prefix": "GR"}).text) == ["grace@example.org", "greta@example.de"]
        assert _rows(admin.get(TABLE, params={"name": "jean d"}).text) == ["jean@example.fr"]
        both = admin.get(TABLE, params={"list_id": "world", "status": "confirmed", "language": "en"})
        assert sorted(_rows(both.text)) == ["ada@example.org", "grace@example.org"]
        assert _rows(admin.get(TABLE, params={"timezone": "Europe/Rome"}).text) == ["paola@example.it"]

        bad = admin.get(TABLE, params={"timezone": "Mars/Olympus"})
        assert bad.status_code == 422 and "is not a known time zone" in bad.text and "Traceback" not in bad.text

    # pages by their links, forward and back, with the search kept (more members than a page holds)
    with newsroom.engine.begin() as conn:
        from subscribers.models import Subscriber
        from subscribers.service import set_status, upsert_subscriber

        for n in range(60):
            sid, _ = upsert_subscriber(conn, Subscriber(f"extra{n:02}@example.org", name="Extra"))
            set_status(conn, sid, "world", "confirmed", method="admin")
    seen: list[str] = []
    with newsroom.browser("admin") as admin:
        html = admin.get(TABLE, params={"list_id": "world", "status": "confirmed"}).text
        while True:
            seen += _rows(html)
            link = re.search(r'<a href="([^"]+)" rel="next">', html)
            if not link:
                break
            assert "list_id=world" in link.group(1) and "status=confirmed" in link.group(1)
            html = admin.get(link.group(1).replace("&amp;", "&")).text
        assert len(seen) == 64 and len(set(seen)) == 64
        back = re.search(r'<a href="([^"]+)" rel="prev">', html)
        assert back and len(_rows(admin.get(back.group(1).replace("&amp;", "&")).text)) == 50

        cursor = re.search(r"cursor=([^&\"]+)", back.group(1)).group(1)
        tampered = admin.get(TABLE, params={"list_id": "world", "status": "confirmed", "cursor": cursor[:-4] + "abcd"})
        assert tampered.status_code == 422 and "damaged, or belongs to another search" in tampered.text
        assert len(_rows(tampered.text)) == 50  # the search from its first page
        elsewhere = admin.get(TABLE, params={"list_id": "world", "cursor": cursor})  # another search's link
        assert elsewhere.status_code == 422


def test_a_subscribers_page_and_their_privacy_export(newsroom):  # noqa: F811
    sid = _id_of(newsroom, "jean@example.fr")
    with newsroom.browser("admin") as admin:
        page = admin.get(f"{TABLE}/{sid}")
        text = " ".join(" ".join(lxml.html.document_fromstring(page.text).itertext()).split())
        assert "Jean Dupont" in text and "Europe/Paris" in text and "Le Quotidien" in text
        assert "world confirmed" in text  # the membership
        assert "import subscribers.csv test" in text  # its consent: how, from where, which wording
        assert "None yet." in text  # no edition sent to them yet
        exported = admin.get(f"{TABLE}/{sid}/privacy.json")
        assert exported.headers["content-disposition"] == f'attachment; filename="subscriber-{sid}.json"'
        data = json.loads(exported.text)
        assert data["subscriber"]["email"] == "jean@example.fr" and data["memberships"][0]["list"] == "world"
        assert admin.get(f"{TABLE}/999999").status_code == 404
    logged = audit.entries(newsroom.engine, action="subscriber.export")
    assert [(e.object_id, e.actor) for e in logged] == [(str(sid), "Admin <admin@example.org>")]


def test_erasure_takes_the_typed_address_and_the_csrf_token_and_is_audited(newsroom):  # noqa: F811
    sid = _id_of(newsroom, "grace@example.org")
    with newsroom.browser("admin") as admin:
        form = admin.get(f"{TABLE}/{sid}/erase")
        assert 'name="csrf"' in form.text and 'name="confirm"' in form.text
        assert admin.post(f"{TABLE}/{sid}/erase", data={"confirm": "grace@example.org"}).status_code == 403  # no CSRF
        wrong = admin.post(f"{TABLE}/{sid}/erase", data={"csrf": newsroom.csrf("admin"), "confirm": "ada@example.org"})
        assert wrong.status_code == 422 and "nothing was erased" in wrong.text
        assert admin.get(f"{TABLE}/{sid}").status_code == 200
        done = admin.post(f"{TABLE}/{sid}/erase", data={"csrf": newsroom.csrf("admin"), "confirm": "Grace@example.org"})
        assert done.status_code == 200 and "Subscriber erased" in done.text
        assert admin.get(f"{TABLE}/{sid}").status_code == 404
        assert _rows(admin.get(TABLE, params={"prefix": "grace"}).text) == []
    [entry] = audit.entries(newsroom.engine, action="subscriber.erase")
    assert entry.object_id == str(sid) and entry.actor == "Admin <admin@example.org>"
    assert "grace" not in json.dumps(entry.details)  # the log keeps no trace of the address


def test_the_download_has_the_tables_filters_and_runs_no_formula(newsroom):  # noqa: F811
    with newsroom.engine.begin() as conn:
        from subscribers.models import Subscriber
        from subscribers.service import set_status, upsert_subscriber

        sid, _ = upsert_subscriber(conn, Subscriber("=cmd@example.org", name='=HYPERLINK("http://x","y")', language="en"))
        set_status(conn, sid, "world", "confirmed", method="admin")
    with newsroom.browser("admin") as admin:
        html = admin.get(TABLE, params={"list_id": "world", "status": "confirmed", "language": "en"}).text
        link = re.search(r'<a href="(/admin/subscribers/export.csv[^"]*)" download>', html)
        assert link, "the table offers no download of its search"
        answer = admin.get(link.group(1).replace("&amp;", "&"))
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == 'attachment; filename="subscribers-world.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert sorted(r["email"] for r in rows) == ["'=cmd@example.org", "ada@example.org", "grace@example.org"]
    assert all(r["status"] == "confirmed" for r in rows)
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())
    [entry] = audit.entries(newsroom.engine, action="subscribers.export")
    assert entry.details == {"statuses": "confirmed", "list_id": "world", "language": "en"}
