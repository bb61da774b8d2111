"""Two editors on one draft, each in a browser of their own, and a publisher watching a send's
live figures, pausing and resuming it, in Debian's Chromium; axe-core on the conflict and the
progress states."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from digest.domain import Actor, EditionStatus
from digest.editions import service
from subscribers.importer import import_csv
from tests.browser.conftest import ARTIFACTS, axe_violations, screenshot
from tests.servers import smtp
from tests.web.newsroom import open_newsroom

READERS = [f"reader{n:02d}@example.org" for n in range(30)]


def _open(browser, room, who: str):
    """A page of the board signed in as `who` (CSP bypassed: axe is injected); errors collected."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 1000})
    context.add_cookies([{"name": "digest_session", "value": room.tokens[who][0], "url": room.url}])
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(room.url + room.board)
    page.wait_for_function("() => window.htmx")
    return page


def _save_lede(page, article_id: int, text: str, status: int = 200) -> None:
    item = page.locator(f"#item-{article_id}")
    if not page.locator(f"#lede-{article_id}").is_visible():
        item.locator("summary", has_text="Edit the lede").click()
    page.fill(f"#lede-{article_id}", text)
    with page.expect_response(lambda r: r.url.endswith("/changes")) as answer:
        item.locator("button", has_text="Save the lede").click()
    assert answer.value.status == status
    page.wait_for_load_state("networkidle")


def _lede(newsroom, article_id: int) -> str:
    return next(i.brief.lede for i in newsroom.edition().items if i.article_id == article_id)


def test_two_editors_on_one_draft_lose_no_change(browser, newsroom):
    ana, ben = _open(browser, newsroom, "editor"), _open(browser, newsroom, "another editor")
    first, second = (i.article_id for i in newsroom.edition().items[:2])
    _save_lede(ana, first, "Ana wrote this lede.")
    _save_lede(ben, second, "Ben wrote that one.")  # his board has not shown Ana's change: another item
    assert (_lede(newsroom, first), _lede(newsroom, second)) == ("Ana wrote this lede.", "Ben wrote that one.")

    _save_lede(ana, first, "Ana's lede, second take.")
    _save_lede(ben, first, "Ben's lede for the same item.", status=409)
    alert = ben.locator("#board [role=alert]")
    assert alert.inner_text().startswith("Editor <editor@example.org> changed the lede of ")
    assert "Ana's lede, second take." in alert.inner_text()
    assert ben.inner_text(f"#item-{first} .lede") == "Ana's lede, second take."  # hers, on his board
    assert ben.input_value(f"#lede-{first}") == "Ben's lede for the same item."  # his, kept in the field
    expect(ben.locator(f"#lede-{first}-kept")).to_be_visible()
    assert _lede(newsroom, first) == "Ana's lede, second take."
    _shot(ben, "board-together-conflict", f"#item-{first}")
    ben.locator("#board [role=alert]").screenshot(path=str(ARTIFACTS / "board-together-conflict-alert.png"))
    assert axe_violations(ben) == []

    with ben.expect_response(lambda r: r.url.endswith("/changes") and r.status == 200):
        ben.locator(f"#item-{first} button", has_text="Save the lede").click()  # deliberately, having seen hers
    ben.wait_for_selector("#said:text('The lede is changed.')")
    assert _lede(newsroom, first) == "Ben's lede for the same item."
    assert ben.locator("#board [role=alert]").count() == 0
    _shot(ben, "board-together-reapplied", f"#item-{first}")
    assert ana.errors == [] and ben.errors == []
    ana.context.close()
    ben.context.close()


@pytest.fixture
def slow_send(instance):
    """A newsroom sending through SMTP to a sink on loopback, one message at a time, three a second
    (the relay's rate limit, as the config says it), to 34 readers."""
    sink = smtp.Sink()
    controller = smtp.serve(sink)
    relay = {"host": "127.0.0.1", "port": controller.port, "security": "none", "timeout": 10}
    delivery = {"backend": "smtp", "smtp": relay, "batch_size": 1, "throttle": {"per_second": 3}}
    room, server = open_newsroom(instance, delivery=delivery)
    readers = instance / "readers.csv"
    readers.write_text("email,name,language,timezone,status\n" + "".join(f"{a},,en,,confirmed\n" for a in READERS))
    with room.engine.connect() as conn:
        import_csv(conn, readers, "world", consent="test")
    service.transition(room.engine, room.edition_id, EditionStatus.APPROVED, Actor.named("test"))
    with server:
        yield room, sink
    controller.stop()
    room.engine.dispose()


def _shot(page, name: str, selector: str) -> None:
    """The whole page, and the part of it the test is about (to look at)."""
    screenshot(page, name)
    page.locator(selector).screenshot(path=str(ARTIFACTS / f"{name}-part.png"))


def _sent(page) -> int:
    return int(page.inner_text("#count-sent"))


def test_a_send_shows_live_progress_and_is_paused_and_resumed(browser, slow_send):
    newsroom, sink = slow_send
    page = _open(browser, newsroom, "publisher")
    page.click("button:text('Send now')")
    page.wait_for_selector("#count-sent")
    page.wait_for_function("() => +document.querySelector('#count-sent').textContent > 0")
    before = _sent(page)
    page.wait_for_function(f"() => +document.querySelector('#count-sent').textContent > {before}")  # it moves
    assert page.locator("#send-rate").inner_text().endswith(("a second", "a minute"))
    assert page.locator("#time-left").inner_text().startswith("about ")
    remaining = int(page.inner_text("#count-remaining"))
    assert remaining > 0 and _sent(page) + remaining == len(READERS) + 4
    _shot(page, "board-send-progress", "section.approval")
    assert axe_violations(page) == []

    page.click("#progress button:text('Pause')")
    page.wait_for_selector("text=The send is paused.")
    expect(page.locator("#progress button", has_text="Resume")).to_be_visible()
    page.wait_for_function("() => !document.querySelector('#time-left')")
    for _ in range(2):  # the batch in flight lands; after it, nothing more goes out
        with page.expect_response(lambda r: r.url.endswith("/progress")):
            pass
    paused = _sent(page)
    with page.expect_response(lambda r: r.url.endswith("/progress")):
        pass
    page.wait_for_load_state("networkidle")
    assert _sent(page) == paused == sum(sink.received.values()) and paused < len(READERS) + 4
    _shot(page, "board-send-paused", "section.approval")
    assert axe_violations(page) == []

    page.click("#progress button:text('Resume')")
    page.wait_for_selector(".status-sent", timeout=60_000)  # the board follows once the send settled
    assert newsroom.edition().send.counts == {"sent": len(READERS) + 4}
    assert set(READERS) <= set(sink.received) and len(sink.received) == len(READERS) + 4
    assert set(sink.received.values()) == {1}  # every reader got exactly one message
    _shot(page, "board-send-done", "section.approval")
    assert page.errors == []
    page.context.close()
