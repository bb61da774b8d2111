"""The admin console's lists, served on loopback, on SQLite and PostgreSQL: only admins get in; every
list with its members by status; a list of config.yaml read-only (its edit refused by the server too),
with its schedule and templates; a list created and edited in the browser, through the CLI's service,
audited, with CSRF; a list's growth per week from its memberships' dates, as a chart and a table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import lxml.html
from sqlalchemy import update

from digest.accounts import audit
from digest.audience import lists
from subscribers import tables as t
from tests.web.newsroom import newsroom_each_db as room  # noqa: F401 (a pytest fixture)

LISTS = "/admin/lists"
NEW = {"id": "letters", "name": "Letters", "description": "Readers write.", "from_name": "The Desk",
       "from_address": "letters@example.org", "reply_to": "", "language": "fr", "double_opt_in": "1"}  # fmt: skip


def _text(html: str, css: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in lxml.html.document_fromstring(html).cssselect(css)]


def test_only_admins_see_the_lists_and_their_link(room):  # noqa: F811
    pages = [LISTS, f"{LISTS}/world", "/admin/segments"]
    for who in ("viewer", "editor", "publisher"):
        with room.browser(who) as browser:
            assert 'href="/admin/lists"' not in browser.get("/newsroom").text
            assert all(browser.get(path).status_code == 403 for path in pages), who
            data = {**NEW, "csrf": room.csrf(who)}
            assert browser.post(LISTS, data=data).status_code == 403
            assert browser.post(f"{LISTS}/world", data=data).status_code == 403
    with httpx.Client(base_url=room.url) as anonymous:
        assert anonymous.get(LISTS).headers["location"] == "/signin?next=/admin/lists"
    with room.browser("admin") as admin:
        assert 'href="/admin/lists"' in admin.get("/newsroom").text
        assert all(admin.get(path).status_code == 200 for path in pages)
    assert [s.lst.id for s in lists.summaries(room.app.state.site.audience)] == ["world"]  # nothing was made


def test_a_list_of_config_yaml_is_shown_with_its_members_and_schedule_and_cannot_be_edited(room):  # noqa: F811
    with room.browser("admin") as admin:
        page = admin.get(LISTS).text
        [row] = [
            r
            for r in lxml.html.document_fromstring(page).cssselect("table.lists tbody tr")
            if "world" in r.text_content()
        ]
        cells = [td.text_content() for td in row.xpath("td")]
        assert cells == [
            "config.yaml (read-only here)",
            "1",
            "4",
            "1",
            "0",
            "0",
        ]  # pending, confirmed, unsubscribed...
        world = admin.get(f"{LISTS}/world").text
        assert "declared in config.yaml" in _text(world, "#managed")[0]
        assert not lxml.html.document_fromstring(world).cssselect(
            f'form[action="{LISTS}/world"]'
        )  # no edit form
        facts = " ".join(_text(world, "dl.facts"))
        assert "0 7 * * 1 in Europe/Paris · next on" in facts and "templates" in facts
        assert "digest@example.org" in facts
        refused = admin.post(f"{LISTS}/world", data={**NEW, "name": "Renamed", "csrf": room.csrf("admin")})
    assert refused.status_code == 409 and "declared in config.yaml" in refused.text
    assert lists.mailing_list(room.app.state.site.audience, "world").name == "The World This Week"
    assert audit.entries(room.engine, action_prefix="list.") == []


def test_an_admin_creates_and_edits_a_list_through_the_clis_service_audited(room):  # noqa: F811
    with room.browser("admin") as admin:
        assert admin.post(LISTS, data=NEW).status_code == 403  # no CSRF token: nothing is made
        made = admin.post(LISTS, data={**NEW, "csrf": room.csrf("admin")})
        assert made.status_code == 303 and made.headers["location"] == f"{LISTS}/letters?done=created"
        page = admin.get(made.headers["location"]).text
        assert "List created." in page and "Not scheduled" in page and "declared in config.yaml" not in page
        form = lxml.html.document_fromstring(page).cssselect(f'form[action="{LISTS}/letters"]')[0]
        assert form.inputs["name"].value == "Letters" and form.inputs["language"].value == "fr"

        again = admin.post(LISTS, data={**NEW, "csrf": room.csrf("admin")})
        assert again.status_code == 409 and "already exists" in again.text
        bad = admin.post(LISTS, data={**NEW, "id": "Bad Id", "csrf": room.csrf("admin")})
        assert bad.status_code == 422 and _text(bad.text, ".error")[0].startswith(
            "id 'Bad Id': use lower-case letters"
        )
        kept = lxml.html.document_fromstring(bad.text).cssselect('form[action="/admin/lists"]')[0]
        assert kept.inputs["name"].value == "Letters"  # what was typed stays in the form

        edited = {
            **NEW,
            "name": "Letters to the Editor",
            "public": "1",
            "double_opt_in": "",
            "csrf": room.csrf("admin"),
        }
        saved = admin.post(f"{LISTS}/letters", data=edited)
        assert saved.status_code == 303 and "List saved." in admin.get(saved.headers["location"]).text
        wrong = admin.post(f"{LISTS}/letters", data={**edited, "from_address": "not an address"})
        assert wrong.status_code == 422 and "not an address" in _text(wrong.text, ".error")[0]
        assert "Letters" in _text(admin.get(LISTS).text, "table.lists")[0]
    lst = lists.mailing_list(room.app.state.site.audience, "letters")
    assert (lst.name, lst.public, lst.double_opt_in, lst.language) == (
        "Letters to the Editor",
        True,
        False,
        "fr",
    )
    entries = audit.entries(room.engine, action_prefix="list.")
    assert [(e.action, e.object_id, e.actor) for e in entries] == [("list.update", "letters", "Admin <admin@example.org>"),
                                                                  ("list.create", "letters", "Admin <admin@example.org>")]  # fmt: skip
    assert entries[0].details == {"name": ["Letters", "Letters to the Editor"], "double_opt_in": [True, False],
                                  "public": [False, True]}  # fmt: skip


def test_a_lists_growth_shows_joins_and_leaves_per_week(room):  # noqa: F811
    m = t.memberships
    three_weeks_ago = datetime.now(UTC) - timedelta(weeks=3)
    with room.engine.begin() as conn:  # Ada joined three weeks ago; the others this week, Luis left this week
        sid = (
            conn.execute(t.subscribers.select().where(t.subscribers.c.email == "ada@example.org")).first().id
        )
        conn.execute(update(m).where(m.c.subscriber_id == sid).values(created_at=three_weeks_ago))
    with room.browser("admin") as admin:
        page = admin.get(f"{LISTS}/world").text
    table = lxml.html.document_fromstring(page).cssselect("table.growth-table tbody tr")
    rows = [[" ".join(c.text_content().split()) for c in tr.xpath("th|td")] for tr in table]
    assert len(rows) == 12 and rows[-1][1:] == ["5", "1"]  # this week: 5 joins, 1 leave
    assert rows[-4][1:] == ["1", "0"] and all(r[1:] == ["0", "0"] for r in rows[:-4] + rows[-3:-1])
    monday = three_weeks_ago.date() - timedelta(days=three_weeks_ago.weekday())
    assert rows[-4][0] == monday.isoformat()
    svg = lxml.html.document_fromstring(page).cssselect("svg.growth")[0]
    assert svg.get("role") == "img" and "Joins and leaves per week" in svg.cssselect("title")[0].text
    bars = svg.cssselect("rect.bar")
    assert len(bars) == 24 and [b.cssselect("title")[0].text for b in bars[-2:]] == ["joins: 5", "leaves: 1"]
    assert float(bars[-2].get("height")) > float(bars[-1].get("height")) > 0
