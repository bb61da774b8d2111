"""The admin console's suppressions, bounces, sources and API tokens in Chromium, light and dark: each
reached from the navigation and checked with axe-core (no serious or critical violation), and one
action on each: an address suppressed with a note and listed; a feed added and read now from a
loopback feed server; a token created and its secret shown once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from digest.deliver.tracking import Cause, EventKind, ProviderEvent, apply
from tests.browser.conftest import axe_violations, screenshot
from tests.servers.feeds import IngestServer, rss, story_text
from tests.web.newsroom import open_newsroom


@pytest.fixture
def room(instance):
    newsroom, server = open_newsroom(instance, fetch_private_addresses=True)  # the feed is on loopback
    with server:
        yield newsroom
    newsroom.engine.dispose()


def _page(browser, room, dark: bool):  # noqa: ANN001, ANN202
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900},
                                  color_scheme="dark" if dark else "light")  # fmt: skip
    context.add_cookies([{"name": "digest_session", "value": room.tokens["admin"][0], "url": room.url}])
    page = context.new_page()
    page.goto(room.url + "/newsroom")
    return page


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_an_admin_suppresses_an_address_with_a_note_and_reads_the_bounces(browser, room, dark):
    shade = "dark" if dark else "light"
    apply(room.engine, [ProviderEvent("sendgrid", "b-1", EventKind.BOUNCED, "jean@example.fr", cause=Cause.HARD_BOUNCE,
                                      reason="550 5.1.1 no such user"),
                        ProviderEvent("sendgrid", "c-1", EventKind.COMPLAINED, "greta@example.de")])  # fmt: skip
    page = _page(browser, room, dark)
    page.get_by_role("link", name="Suppressions").click()
    expect(page.get_by_role("heading", name="Suppressions", exact=True)).to_be_visible()
    page.get_by_label("Email address").fill("grace@example.org")
    page.get_by_label("Reason").last.select_option("complaint")
    page.get_by_label("Note (why, who asked)").fill("Asked by phone on Monday")
    page.get_by_role("button", name="Suppress", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("The address is suppressed.")
    row = page.get_by_role("row").filter(has_text="grace@example.org")
    expect(row).to_contain_text("Asked by phone on Monday")
    expect(row).to_contain_text("complaint")
    assert axe_violations(page) == []
    screenshot(page, f"console-suppressions-{shade}")
    page.get_by_role("link", name="Take off… grace@example.org").click()
    expect(page.get_by_role("heading", name="Mail grace@example.org again?")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"console-unsuppress-{shade}")
    page.get_by_role("link", name="← Suppressions").click()
    page.get_by_role("link", name="Bounces and complaints").click()
    expect(page.get_by_role("heading", name="Bounces and complaints", exact=True)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="550 5.1.1 no such user")).to_contain_text("bounced")
    assert axe_violations(page) == []
    screenshot(page, f"console-bounces-{shade}")
    page.context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_an_admin_adds_a_feed_and_reads_it_now(browser, room, dark):
    shade = "dark" if dark else "light"
    items = [{"title": f"Loopback story {i}", "link": f"https://news.example.org/{i}", "guid": f"l-{i}",
              "date": "Mon, 02 Nov 2026 08:00:00 GMT", "content": "".join(f"<p>{p}</p>" for p in story_text(i))}
             for i in range(3)]  # fmt: skip
    with IngestServer() as feeds:
        url = feeds.add("/feed.xml", rss(items))
        page = _page(browser, room, dark)
        page.get_by_role("link", name="Sources").click()
        expect(page.get_by_role("heading", name="Sources", exact=True)).to_be_visible()
        assert axe_violations(page) == []
        page.get_by_label("Name").fill("Loopback wire")
        page.get_by_label("Address (URL)").fill(url)
        page.get_by_role("button", name="Add the source").click()
        expect(page.get_by_role("status")).to_have_text(
            "Source added: the next run reads it, or read it now."
        )
        page.get_by_role("button", name="Read now: Loopback wire").click()
        expect(page.get_by_role("status")).to_have_text("Loopback wire read: 3 new, 0 updated, 0 unchanged.")
        expect(page.get_by_role("row").filter(has_text="Loopback wire")).to_contain_text("this console")
        assert axe_violations(page) == []
        screenshot(page, f"console-sources-{shade}")
        page.get_by_role("link", name="Edit: Loopback wire").click()
        expect(page.get_by_role("heading", name="Edit Loopback wire")).to_be_visible()
        assert axe_violations(page) == []
        screenshot(page, f"console-source-edit-{shade}")
        page.context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_an_admin_makes_a_token_and_sees_its_secret_once(browser, room, dark):
    shade = "dark" if dark else "light"
    page = _page(browser, room, dark)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Name (what it is for)").fill("The CRM sync")
    page.get_by_label("lists:read").check()
    page.get_by_label("subscribers:write").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", name="Token “The CRM sync” made")).to_be_visible()
    secret = page.get_by_label("The token")
    expect(secret).to_have_value(re.compile(r"^dgt_"))
    expect(page.get_by_role("row").filter(has_text="The CRM sync")).to_contain_text(
        "lists:read, subscribers:write"
    )
    assert axe_violations(page) == []
    screenshot(page, f"console-tokens-{shade}")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="Tokens", exact=True)).to_be_visible()
    expect(page.get_by_label("The token")).to_have_count(0)  # shown once
    page.context.close()
