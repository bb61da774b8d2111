"""Today, the newsroom's home page, served on loopback: each list the user may read with its next
run, its open draft, its last send and its failing sources; the others not at all."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import lxml.html

from digest.domain import Actor, Role
from digest.editions import service
from digest.editions.calendar import next_run
from tests.web.newsroom_support import newsroom  # noqa: F401 (a pytest fixture)


def words(html: str) -> str:
    return " ".join(lxml.html.document_fromstring(html).text_content().split())


def section(html: str, list_id: str) -> str:
    found = lxml.html.document_fromstring(html).xpath(f'//section[@aria-labelledby="list-{list_id}"]')
    return " ".join(found[0].text_content().split()) if found else ""


def test_today_shows_each_list_the_user_may_read(newsroom):  # noqa: F811
    with newsroom.user("chief@example.org", Role.ADMIN) as browser:
        page = browser.get("/newsroom")
    assert page.status_code == 200
    world, monde = section(page.text, "world"), section(page.text, "monde")
    due = next_run(newsroom.settings.get_list("world"), datetime.now(UTC))
    assert due is not None and f"{due:%H:%M} {due.tzname()}" in world  # 07:00 CET or CEST, as `digest status`
    assert "(0 7 * * 1, Europe/Paris)" in world
    assert f"#{newsroom.draft_id} " in world and "draft" in world
    assert f'href="/newsroom/editions/{newsroom.draft_id}"' in page.text
    shown = service.show(newsroom.engine, newsroom.settings, newsroom.draft_id, None).edition
    assert re.search(rf"draft {len(shown.items)} items?\b", world)
    assert f"#{newsroom.sent_id} " in world and "4 sent, 0 failed" in world  # the four confirmed members
    assert "Failing sources" not in world
    assert "(30 6 * * *, America/Montreal)" in monde and "none" in monde and "nothing sent yet" in monde
    assert "broken" in monde and "never read successfully" in monde and "samples/nowhere" in monde
    assert "The scheduler is not running" in words(page.text)


def test_today_leaves_out_the_lists_a_user_may_not_read(newsroom):  # noqa: F811
    with newsroom.user("max@example.org", Role.EDITOR, lists=("monde",)) as browser:
        page = browser.get("/newsroom")
    assert page.status_code == 200
    assert section(page.text, "monde") and not section(page.text, "world")
    assert "The World This Week" not in page.text and f"/newsroom/editions/{newsroom.draft_id}" not in page.text
    with newsroom.user("nobody@example.org", Role.VIEWER, lists=()) as browser:
        assert "There is no list you may read" in words(browser.get("/newsroom").text)


def test_today_warns_of_a_subject_inboxes_cut_off(newsroom):  # noqa: F811
    service.change(newsroom.engine, newsroom.settings, newsroom.draft_id, Actor.named("Ana"), "subject", text="A" * 90)
    with newsroom.user("ed@example.org", Role.EDITOR) as browser:
        world = section(browser.get("/newsroom").text, "world")
    assert "The subject is longer than 70 characters" in world


def test_a_visitor_is_sent_to_sign_in_and_the_header_leads_everywhere(newsroom):  # noqa: F811
    with newsroom.anonymous() as visitor:
        asked = visitor.get("/newsroom")
    assert asked.status_code == 303 and asked.headers["location"] == "/signin?next=/newsroom"
    with newsroom.user("vi@example.org", Role.VIEWER) as browser:
        page = lxml.html.document_fromstring(browser.get("/newsroom").text)
        account = lxml.html.document_fromstring(browser.get("/account").text)
    nav = page.xpath("//header//nav//a")  # a viewer's navigation: Today; one's account is by one's name
    assert [(a.get("href"), a.text_content()) for a in nav] == [("/newsroom", "Today")]
    assert nav[0].get("aria-current") == "page"
    mine = page.xpath('//header//*[@class="who"]//a')
    assert [(a.get("href"), a.text_content(), a.get("aria-current")) for a in mine] == [("/account", "Account", None)]
    assert account.xpath('//header//a[@aria-current="page"]')[0].get("href") == "/account"
    assert page.xpath('//header//form[@action="/signout"]//button')[0].text_content() == "Sign out"
