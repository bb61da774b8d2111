"""The edition board over HTTP, on the real app: what it shows, each change (htmx and plain forms),
what it refuses and to whom, the preview beside it, approval and sending, and the audit entries."""

from __future__ import annotations

import json
import re
import time

import httpx
import lxml.html
import pytest
import yaml
from sqlalchemy import text

from digest.domain import Actor, EditionStatus
from digest.editions import service
from digest.links import Links
from digest.web.routes.board import MAIL_HEADERS
from tests.conftest import ROOT
from tests.servers.feeds import IngestServer
from tests.web.newsroom import open_newsroom

JS_BUDGET = 100 * 1024


def _visible(html: str) -> str:
    return " ".join(lxml.html.fromstring(html).text_content().split())


def test_the_board_shows_each_item_with_its_lede_quotes_source_and_state(newsroom):
    board = newsroom.edition()
    with newsroom.browser("viewer") as viewer:
        page = viewer.get(newsroom.board)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    shown = _visible(page.text)
    assert all(item.brief.title in shown and item.brief.source in shown for item in board.items)
    assert all(" ".join(item.brief.lede.split()) in shown for item in board.items)
    quoted = [item for item in board.items if item.brief.quotes]
    assert quoted and all(q.text in shown for item in quoted for q in item.brief.quotes)
    unnamed = [q for item in quoted for q in item.brief.quotes if not q.speaker]
    named = [q for item in quoted for q in item.brief.quotes if q.speaker]
    assert all(q.speaker in shown for q in named)
    assert ("speaker to confirm" in shown) == bool(unnamed)
    assert "Move up" not in page.text and "/changes" not in page.text  # a viewer reads, and only reads
    with newsroom.browser("editor") as editor:
        page = editor.get(newsroom.board)
    doc = lxml.html.fromstring(page.text)
    assert len(doc.cssselect("#items > li")) == len(board.items)
    assert doc.cssselect(f"#down-{board.items[0].article_id}") and doc.cssselect(f"#up-{board.items[0].article_id}")[0].get("disabled") is not None
    for item in board.items:  # every quotation the article holds is offered, not only the ranked one
        offered = doc.cssselect(f"#item-{item.article_id} input[name=index]")
        assert len(offered) == len(item.found) + 1  # and "no quote"


def test_each_change_through_htmx_answers_the_board_and_tells_the_preview(newsroom):
    first, second, third = (item.article_id for item in newsroom.edition().items[:3])
    changes = [
        ({"op": "move", "article_id": first, "position": 3}, lambda b: b.items[2].article_id == first),
        ({"op": "pin", "article_id": third}, lambda b: next(i for i in b.items if i.article_id == third).pinned),
        ({"op": "exclude", "article_id": second}, lambda b: second in {x.article_id for x in b.excluded}),
        ({"op": "restore", "article_id": second}, lambda b: second in {i.article_id for i in b.items}),
        ({"op": "lede", "article_id": first, "text": "A lede by hand."},
         lambda b: next(i for i in b.items if i.article_id == first).brief.lede == "A lede by hand."),
        ({"op": "quote", "article_id": first, "index": "none"},
         lambda b: not next(i for i in b.items if i.article_id == first).brief.quotes),
        ({"op": "subject", "text": "Our week"}, lambda b: b.edition.subject == "Our week"),
        ({"op": "intro", "text": "Hello from the desk."}, lambda b: b.edition.intro == "Hello from the desk."),
    ]  # fmt: skip
    with newsroom.browser("editor", htmx=True) as editor:
        for form, holds in changes:
            answer = editor.post(f"{newsroom.board}/changes", data=form)
            assert answer.status_code == 200, (form, answer.text[:500])
            assert answer.headers["hx-trigger"] == "edition-changed", form
            board, said = lxml.html.fragments_fromstring(answer.text)
            assert board.get("id") == "board" and "<html" not in answer.text  # the fragment htmx swaps in
            assert said.get("id") == "said" and said.get("hx-swap-oob") == "true" and said.text_content().strip()
            assert holds(newsroom.edition()), form
    assert "Our week" in _visible(answer.text) and "The intro is changed." in said.text_content()


def test_a_quote_can_be_any_of_the_articles_quotations(newsroom):
    item = next(i for i in newsroom.edition().items if len(i.found) > 1)
    last = len(item.found) - 1
    with newsroom.browser("editor", htmx=True) as editor:
        assert editor.post(f"{newsroom.board}/changes", data={"op": "quote", "article_id": item.article_id,
                                                              "index": last}).status_code == 200  # fmt: skip
    again = next(i for i in newsroom.edition().items if i.article_id == item.article_id)
    assert again.brief.quotes == [item.found[last]] and again.shown == [last]


def test_a_plain_form_change_answers_a_redirect_back_to_the_board(newsroom):
    first = newsroom.edition().items[0].article_id
    with newsroom.browser("editor") as editor:
        answer = editor.post(f"{newsroom.board}/changes",
                             data={"csrf": newsroom.csrf("editor"), "op": "move", "article_id": first, "position": 2})  # fmt: skip
        assert answer.status_code == 303 and answer.headers["location"] == newsroom.board
        assert newsroom.edition().items[1].article_id == first
        without_token = editor.post(f"{newsroom.board}/changes", data={"op": "exclude", "article_id": first})
        assert without_token.status_code == 403 and first not in {x.article_id for x in newsroom.edition().excluded}


def test_a_refused_change_shows_why_and_changes_nothing(newsroom):
    before = newsroom.edition()
    first = before.items[0].article_id
    with newsroom.browser("editor", htmx=True) as editor:
        cases = [
            ({"op": "move", "article_id": first, "position": 99}, 422, "position 99 is outside"),
            ({"op": "lede", "article_id": first, "text": "  "}, 422, "a lede cannot be empty"),
            ({"op": "exclude", "article_id": 999999}, 404, "article 999999 is not in this edition"),
            ({"op": "quote", "article_id": first, "index": "77"}, 404, "has no quotation 77"),
            ({"op": "move", "article_id": "one", "position": 1}, 422, "article_id must be a whole number"),
            ({"op": "shuffle"}, 422, "unknown change 'shuffle'"),
            ({"op": "add", "url": "ftp://example.org/a"}, 422, "is not a web address"),
        ]
        for form, status, reason in cases:
            answer = editor.post(f"{newsroom.board}/changes", data=form)
            assert answer.status_code == status, (form, answer.status_code)
            assert reason in _visible(answer.text), (form, _visible(answer.text)[:300])
            assert "hx-trigger" not in answer.headers
    after = newsroom.edition()
    assert [i.brief for i in after.items] == [i.brief for i in before.items] and after.excluded == before.excluded


def test_who_may_do_what_on_the_board(newsroom):
    """Reading needs view on the edition's list, changing it curate; approving and sending are the
    publisher's. Each refusal is the gate's 403, and nothing is recorded."""
    first = newsroom.edition().items[0].article_id
    board = newsroom.board
    with newsroom.browser("editor of another list", htmx=True) as stranger:
        assert stranger.get(board).status_code == 403
        assert stranger.post(f"{board}/changes", data={"op": "pin", "article_id": first}).status_code == 403
    with newsroom.browser("viewer", htmx=True) as viewer:
        assert viewer.get(board).status_code == 200 and viewer.get(f"{board}/mail").status_code == 200
        for path in ("changes", "submit", "approve", "send"):
            assert viewer.post(f"{board}/{path}", data={"op": "pin", "article_id": first}).status_code == 403, path
    with newsroom.browser("editor", htmx=True) as editor:
        page = editor.get(board).text
        assert "Submit for approval" in page and "Approve" not in _visible(page).replace("Approval", "")
        for path in ("approve", "schedule", "send", "pause", "resume", "cancel"):
            refused = editor.post(f"{board}/{path}", data={"at": "2030-01-01T09:00"})
            assert refused.status_code == 403 and refused.headers.get("x-denied") == "authorization", path
    assert newsroom.edition().edition.status == EditionStatus.DRAFT
    with newsroom.engine.connect() as conn:
        log = [row.op for row in conn.execute(text("SELECT op FROM edition_changes ORDER BY id"))]
    assert log == ["build"]


def test_an_editor_submits_and_a_publisher_approves_schedules_and_sends(newsroom):
    board = newsroom.board
    with newsroom.browser("editor", htmx=True) as editor:
        submitted = editor.post(f"{board}/submit")
        assert submitted.status_code == 200 and "Submitted for approval by Editor" in _visible(submitted.text)
        assert editor.post(f"{board}/submit").status_code == 200  # submitting twice says so again, harmlessly
    with newsroom.browser("publisher", htmx=True) as publisher:
        page = publisher.get(board).text
        assert "Submitted for approval by Editor" in _visible(page) and f'action="{board}/approve"' in page
        approved = publisher.post(f"{board}/approve")
        assert approved.status_code == 200 and newsroom.edition().edition.status == EditionStatus.APPROVED
        assert f'action="{board}/send"' in approved.text and f'action="{board}/schedule"' in approved.text
        scheduled = publisher.post(f"{board}/schedule", data={"at": "2031-03-04T09:30"})
        assert scheduled.status_code == 200, _visible(scheduled.text)[:300]
        edition = newsroom.edition().edition
        assert edition.status == EditionStatus.SCHEDULED
        assert edition.scheduled_for is not None and edition.scheduled_for.isoformat() == "2031-03-04T08:30:00+00:00"
        assert "Scheduled for 2031-03-04 09:30 (Europe/Paris)." in _visible(scheduled.text)
        bad = publisher.post(f"{board}/schedule", data={"at": "next tuesday"})
        assert bad.status_code == 422 and "is not a date and time" in _visible(bad.text)
        sent = publisher.post(f"{board}/send")
        assert sent.status_code == 200
        for _ in range(100):  # the send runs after the answer; the board polls its progress
            progress = publisher.get(f"{board}/progress")
            if newsroom.edition().edition.status == EditionStatus.SENT:
                break
        assert newsroom.edition().edition.status == EditionStatus.SENT
        progress = publisher.get(f"{board}/progress")
        assert progress.headers.get("hx-trigger") == "send-settled" and 'hx-trigger="every 2s"' not in progress.text
        figures = lxml.html.fromstring(progress.text)
        assert figures.cssselect("#count-sent")[0].text == "4" and figures.cssselect("#count-remaining")[0].text == "0"
    with newsroom.engine.connect() as conn:
        log = [row.op for row in conn.execute(text("SELECT op FROM edition_changes ORDER BY id"))]
    assert log[:6] == ["build", "submit", "submit", "approved", "scheduled", "send"]


def test_a_change_through_the_web_leaves_one_audit_entry_with_who_and_what(newsroom):
    item = newsroom.edition().items[0]
    with newsroom.browser("editor", htmx=True) as editor:
        editor.post(f"{newsroom.board}/changes", data={"op": "lede", "article_id": item.article_id, "text": "New."})
    with newsroom.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT a.actor, a.action, a.object_id, a.details, a.client, u.email FROM audit_log a"
            " JOIN users u ON u.id = a.user_id WHERE a.action LIKE 'edition.%'"
        )).all()  # fmt: skip
    assert len(rows) == 1
    actor, action, object_id, details, client, email = rows[0]
    details = details if isinstance(details, dict) else json.loads(details)
    assert (action, object_id, client, email) == ("edition.lede", str(newsroom.edition_id), "127.0.0.1", "editor@example.org")
    assert actor == "Editor <editor@example.org>"
    assert details == {"article_id": item.article_id, "before": item.brief.lede, "after": "New."}


def test_the_preview_is_the_mail_as_rendered_and_follows_each_change(newsroom):
    board = newsroom.board
    with newsroom.browser("editor", htmx=True) as editor:
        panel = editor.get(f"{board}/preview?width=375&scheme=dark")
        doc = lxml.html.fromstring(panel.text)
        assert doc.get("id") == "preview" and "edition-changed" in doc.get("hx-trigger")
        frame = doc.cssselect("iframe")[0]
        assert frame.get("src") == f"{board}/mail?scheme=dark" and frame.get("sandbox") == ""
        assert doc.cssselect(".frame-375.scheme-dark")
        size = re.search(r"([\d.]+) KB of HTML, budget 90 KB", _visible(panel.text))
        assert size and 1 < float(size.group(1)) < 90
        assert doc.cssselect(".text-part pre")[0].text_content().strip()
        mail = editor.get(f"{board}/mail")
        assert all(mail.headers[k] == v for k, v in MAIL_HEADERS.items())
        assert "prefers-color-scheme: dark" not in mail.text and "@media not all" in mail.text  # a light reader's
        dark = editor.get(f"{board}/mail?scheme=dark").text
        assert dark.replace("@media all", "@media not all") == mail.text  # a dark reader's: that rule only
        assert editor.get(f"{board}/mail?scheme=sepia").status_code == 422
        assert "The World This Week" in mail.text and "A lede changed here." not in mail.text
        first = newsroom.edition().items[0].article_id
        editor.post(f"{board}/changes", data={"op": "lede", "article_id": first, "text": "A lede changed here."})
        assert "A lede changed here." in editor.get(f"{board}/mail").text
        assert "A lede changed here." in editor.get(f"{board}/preview").text  # the text part follows too


HARBOUR = (
    "<html><head><title>Harbour reopens after the storm</title><meta property='og:image' content='https://img.example/h.png'>"
    "</head><body><article><h1>Harbour reopens after the storm</h1>"
    + "".join(f"<p>The harbour of the town reopened on Monday, paragraph {n}, after a week of repairs "
              "that the mayor called long overdue.</p>" for n in range(6))
    + "<p>\u201cWe are open again,\u201d said Mayor Ines Duarte.</p></article></body></html>"
)  # fmt: skip


@pytest.fixture
def private_newsroom(instance):
    """A newsroom whose instance lets editors add pages from private addresses, as the test server's."""
    room, server = open_newsroom(instance, fetch_private_addresses=True)
    with server:
        yield room
    room.engine.dispose()


def test_an_address_an_editor_gives_is_fetched_from_public_addresses_only(newsroom):
    with IngestServer() as server:
        url = server.add("/harbour", HARBOUR, content_type="text/html; charset=utf-8")
        with newsroom.browser("editor", htmx=True) as editor:
            refused = editor.post(f"{newsroom.board}/changes", data={"op": "add", "url": url})
        assert server.hits.get("/harbour", 0) == 0  # the server was never asked
    assert refused.status_code in (422, 503) and "is not a public address" in _visible(refused.text)
    assert all(item.brief.title != "Harbour reopens after the storm" for item in newsroom.edition().items)


def test_an_article_added_by_url_is_fetched_and_stored_then_and_there(private_newsroom):
    newsroom = private_newsroom
    page = HARBOUR
    with IngestServer() as server:
        url = server.add("/harbour", page, content_type="text/html; charset=utf-8")
        with newsroom.browser("editor", htmx=True) as editor:
            added = editor.post(f"{newsroom.board}/changes", data={"op": "add", "url": url})
            assert added.status_code == 200, _visible(added.text)[:400]
            again = editor.post(f"{newsroom.board}/changes", data={"op": "add", "url": url})
            assert again.status_code == 200
            missing = editor.post(f"{newsroom.board}/changes", data={"op": "add", "url": server.url("/gone")})
        assert server.hits["/harbour"] == 1  # stored the first time, found the second
    assert missing.status_code in (422, 503) and "could not be fetched" in _visible(missing.text)
    top = newsroom.edition().items[0]
    assert top.brief.title == "Harbour reopens after the storm" and top.pinned
    assert "Harbour reopens after the storm" in _visible(added.text)


def test_the_newsroom_ships_at_most_100_kb_of_javascript():
    templates = ROOT / "digest/web/templates/newsroom"
    scripts = set()
    for page in templates.glob("*.html"):
        scripts |= set(re.findall(r'<script src="/static/([^"]+)"', page.read_text()))
    assert {"vendor/htmx-2.0.11.min.js", "vendor/sortable-1.15.7.min.js", "board.js"} <= scripts
    total = sum((ROOT / "digest/web/static" / s).stat().st_size for s in scripts)
    assert total <= JS_BUDGET, f"{total} bytes of JavaScript"
    licences = (ROOT / "digest/web/static/vendor/LICENSES.md").read_text()
    assert all(s.split("/")[-1] in licences for s in scripts if s.startswith("vendor/"))


def test_the_review_link_takes_a_signed_in_editor_on_to_the_board(newsroom):
    link = Links(newsroom.url, newsroom.app.state.site.tokens).review(newsroom.edition_id, "world")
    with newsroom.browser("editor") as editor:
        answer = editor.get(link)
        assert answer.status_code == 303 and answer.headers["location"] == newsroom.board
    with newsroom.browser("editor of another list") as stranger:  # may not read it: the draft as readers see it
        answer = stranger.get(link)
        assert answer.status_code == 200 and "Move up" not in answer.text
    with httpx.Client() as anyone:
        answer = anyone.get(link)
    assert answer.status_code == 200 and newsroom.edition().items[0].brief.title in answer.text


@pytest.mark.parametrize("ending", ["resume", "cancel"])
def test_a_send_shows_its_progress_and_a_publisher_pauses_resumes_or_cancels_it(instance, ending):
    delivery = yaml.safe_load((instance / "config.yaml").read_text())["delivery"] | {"batch_size": 1}
    newsroom, server = open_newsroom(instance, delivery=delivery)
    engine, settings, edition_id, board = newsroom.engine, newsroom.settings, newsroom.edition_id, newsroom.board
    test = Actor.named("test")
    service.transition(engine, edition_id, EditionStatus.APPROVED, test)
    links = newsroom.app.state.site.audience.mail.links
    service.send(engine, settings, edition_id, links, lambda p: service.pause(engine, edition_id, test) if p.done == 1 else None)
    with server:
        with newsroom.browser("publisher", htmx=True) as publisher:
            progress = lxml.html.fromstring(publisher.get(f"{board}/progress").text)
            figures = {dd.get("id"): dd.text for dd in progress.cssselect("dd")}
            rate = figures.pop("send-rate")  # one message so far: its pace, no time left while paused
            assert figures == {"count-sent": "1", "count-failed": "0", "count-deferred": "0", "count-remaining": "3"}
            assert re.fullmatch(r"[\d,.]+ a (second|minute)", rate), rate
            assert progress.get("hx-trigger") == "every 2s" and progress.get("hx-get") == f"{board}/progress"
            assert "The send is paused." in _visible(publisher.get(board).text)
            with newsroom.browser("editor", htmx=True) as editor:
                for path in ("pause", "resume", "cancel"):
                    assert editor.post(f"{board}/{path}").status_code == 403, path
            service.resume(engine, edition_id, test)  # running, with no sender here: pausing stops it all the same
            left = lxml.html.fromstring(publisher.get(f"{board}/progress").text).cssselect("#time-left")[0].text
            assert re.fullmatch(r"about \d+ (sec|min|hr)", left), left  # the 3 remaining at the pace so far
            paused = publisher.post(f"{board}/pause")
            assert paused.status_code == 200 and f'action="{board}/resume"' in paused.text
            if ending == "cancel":
                canceled = publisher.post(f"{board}/cancel")
                assert canceled.status_code == 200 and newsroom.edition().edition.status == EditionStatus.CANCELED
                assert newsroom.edition().send.counts == {"sent": 1, "canceled": 3}
            else:
                assert publisher.post(f"{board}/resume").status_code == 200
                for _ in range(200):  # the send goes on after the answer
                    if newsroom.edition().edition.status == EditionStatus.SENT:
                        break
                    time.sleep(0.05)
                assert newsroom.edition().send.counts == {"sent": 4}
            settled = publisher.get(f"{board}/progress")
            assert settled.headers["hx-trigger"] == "send-settled" and "every 2s" not in settled.text
    with engine.connect() as conn:
        actions = [r.action for r in conn.execute(text("SELECT action FROM audit_log WHERE user_id IS NOT NULL"
                                                        " AND action LIKE 'edition.%' ORDER BY id"))]  # fmt: skip
    assert actions == ["edition.pause", f"edition.{ending}"]
    engine.dispose()
