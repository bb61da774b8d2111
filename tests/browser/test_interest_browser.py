"""What readers click, in Chromium: an editor reaches a list's page from the sources page and reads
each source's clicks and click-through over the list's sent editions (a scanner's clicks left out);
an editor of another list is refused it. Checked with axe-core, photographed light and dark."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from digest.domain import EditionStatus
from digest.store.editions import set_edition_status
from digest.store.tables import edition_items
from tests.browser.conftest import axe_violations, screenshot
from tests.editions.test_interest import _clicks, _deliver
from tests.web.newsroom import open_newsroom


@pytest.fixture
def room(instance):
    sources = [{"name": "newsroom", "kind": "folder", "path": "samples/articles", "tags": ["europe"]},
               {"name": "wire", "kind": "rss", "path": "samples/feed.xml", "tags": ["europe", "agency"]}]  # fmt: skip
    newsroom, server = open_newsroom(instance, sources=sources)
    with server:
        yield newsroom
    newsroom.engine.dispose()


def _sent_and_clicked(room) -> int:  # noqa: ANN001
    """The room's edition sent to the sample readers (how many, returned); three clicked a newsroom
    story, one a wire story, and a scanner clicked every story for each of them."""
    engine, edition_id = room.engine, room.edition_id
    with engine.begin() as conn:
        set_edition_status(conn, edition_id, EditionStatus.SENT)
        items = conn.execute(select(edition_items.c.id, edition_items.c.source)
                             .where(edition_items.c.edition_id == edition_id)
                             .order_by(edition_items.c.position)).all()  # fmt: skip
    sent = _deliver(engine, edition_id)
    first = {source: item for item, source in reversed(items)}
    _clicks(engine, edition_id, first["newsroom"], sent[:3])
    _clicks(engine, edition_id, first["wire"], sent[:1])
    for item, _ in items:
        _clicks(engine, edition_id, item, sent, machine=True)
    return len(sent)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_an_editor_reads_what_readers_click(browser, room, dark):
    readers = _sent_and_clicked(room)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900},
                                  color_scheme="dark" if dark else "light")  # fmt: skip
    context.add_cookies([{"name": "digest_session", "value": room.tokens["editor"][0], "url": room.url}])
    page = context.new_page()
    page.goto(room.url + "/newsroom")
    page.get_by_role("link", name="Sources").click()
    expect(page.get_by_role("region", name="What readers click")).to_be_visible()
    screenshot(page, f"newsroom-sources-readers-{'dark' if dark else 'light'}")
    page.get_by_role("region", name="What readers click").get_by_role("link", name="The World This Week").click()
    expect(page.get_by_role("heading", name="What readers click: The World This Week")).to_be_visible()
    by_source = page.get_by_role("table", name="By source")
    newsroom, wire = by_source.get_by_role("row").filter(has_text="newsroom"), by_source.get_by_role("row").filter(has_text="wire")
    expect(newsroom.get_by_role("cell").nth(3)).to_have_text("3")  # 3 readers' clicks; the scanner's are not
    expect(wire.get_by_role("cell").nth(3)).to_have_text("1")
    expect(newsroom.get_by_role("cell").nth(2)).to_have_text(str(readers))  # the edition's deliveries
    expect(newsroom.get_by_role("cell").nth(4)).to_have_text(f"{3 / readers * 100:.1f} %")
    by_tag = page.get_by_role("table", name="By tag")
    europe, agency = by_tag.get_by_role("row").filter(has_text="europe"), by_tag.get_by_role("row").filter(has_text="agency")
    expect(europe.get_by_role("cell").nth(3)).to_have_text("4")  # a tag counts the clicks of every source with it
    expect(agency.get_by_role("cell").nth(3)).to_have_text("1")
    expect(page.locator("#learning")).to_contain_text("does not learn")
    assert axe_violations(page) == []
    screenshot(page, f"newsroom-readers-{'dark' if dark else 'light'}")
    context.close()


def test_an_editor_of_another_list_is_refused_it(room):
    path = "/newsroom/lists/world/readers"
    with room.browser("editor of another list") as other, room.browser("editor") as editor:
        assert other.get(path).status_code == 403
        assert "/newsroom/lists/world/readers" not in other.get("/admin/sources").text
        assert editor.get(path).status_code == 200
        assert editor.get("/newsroom/lists/nowhere/readers").status_code in (403, 404)
