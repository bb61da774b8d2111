"""The board's checks before sending, the quote check's flag and paraphrase toggle, the test send
and the search that adds a stored article, over HTTP on the real app."""

from __future__ import annotations

import email
from email import policy

import lxml.html

from digest.domain import EditionStatus
from digest.store.deliveries import delivery_counts


def _quoted(newsroom):
    return next(item for item in newsroom.edition().items if item.brief.quotes)


def test_the_checks_come_after_the_board_each_next_to_its_item(newsroom):
    first = newsroom.edition().items[0].article_id
    with newsroom.browser("editor", htmx=True) as editor:
        editor.post(f"{newsroom.board}/changes", data={"op": "lede", "article_id": first, "text": "TK: to come."})
        page = editor.get(newsroom.board).text
        assert f'hx-get="{newsroom.board}/checks"' in page and f'id="checks-{first}"' in page
        answer = editor.get(f"{newsroom.board}/checks")
    assert answer.status_code == 200
    summary, *slots = lxml.html.fragments_fromstring(answer.text)
    assert summary.get("id") == "checks" and "Checks before sending" in summary.text_content()
    assert "Item 1: item 1: its lede still holds the placeholder “TK”" in " ".join(summary.text_content().split())
    slot = next(s for s in slots if s.get("id") == f"checks-{first}")
    assert slot.get("hx-swap-oob") == "true"
    assert "its lede still holds the placeholder “TK”" in slot.text_content()
    with newsroom.browser("viewer") as viewer:
        assert viewer.get(f"{newsroom.board}/checks").status_code == 200  # reading the checks is reading


def test_a_hand_edited_quote_is_flagged_blocks_approval_and_a_paraphrase_mark_lifts_it(newsroom):
    item = _quoted(newsroom)
    aid, quote = item.article_id, item.brief.quotes[0].text
    edited = "Reportedly " + quote
    with newsroom.browser("editor", htmx=True) as editor:
        board = editor.post(f"{newsroom.board}/changes", data={"op": "quote_text", "article_id": aid, "text": edited})
    doc = lxml.html.fromstring(board.text)
    assert doc.cssselect(f"#flag-{aid}") and doc.cssselect(f"#paraphrase-{aid}")
    assert "not word for word in the article" in doc.cssselect(f"#flag-{aid}")[0].text_content()

    with newsroom.browser("publisher", htmx=True) as publisher:
        refused = publisher.post(f"{newsroom.board}/approve")
        assert refused.status_code == 422
        message = " ".join(lxml.html.fromstring(refused.text).cssselect(".error")[0].text_content().split())
        assert f"the quote “{edited}” does not appear word for word" in message
        assert newsroom.edition().edition.status == EditionStatus.DRAFT

        with newsroom.browser("editor", htmx=True) as editor:
            marked = editor.post(f"{newsroom.board}/changes", data={"op": "paraphrase", "article_id": aid, "on": "1"})
        doc = lxml.html.fromstring(marked.text)
        assert not doc.cssselect(f"#flag-{aid}") and "Paraphrase" in doc.cssselect(f"#item-{aid} .quote")[0].text_content()
        assert publisher.post(f"{newsroom.board}/approve").status_code == 200
    assert newsroom.edition().edition.status == EditionStatus.APPROVED


def test_an_editor_sends_a_test_to_their_own_address_and_nobody_else_gets_it(newsroom):
    with newsroom.browser("viewer") as viewer:
        page = viewer.get(newsroom.board).text
        assert "Send a test" not in page
        assert viewer.post(f"{newsroom.board}/test-send", data={"csrf": newsroom.csrf("viewer")}).status_code == 403
    with newsroom.browser("editor", htmx=True) as editor:
        assert "Send a test" in editor.get(newsroom.board).text
        answer = editor.post(f"{newsroom.board}/test-send")
    assert answer.status_code == 200
    assert "A test was sent to editor@example.org." in answer.text
    outbox = newsroom.settings.path(newsroom.settings.delivery.outbox)
    sent = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.iterdir()]
    assert [str(m["To"]) for m in sent] == ["editor@example.org"]
    assert str(sent[0]["Subject"]).startswith("[TEST] ") and sent[0]["X-Digest-Test"] == "yes"
    with newsroom.engine.connect() as conn:
        assert delivery_counts(conn, newsroom.edition_id) == {}


def test_a_search_finds_a_stored_article_and_adds_it(newsroom):
    with newsroom.browser("viewer") as viewer:
        assert viewer.get(f"{newsroom.board}/search", params={"q": "wind"}).status_code == 403
    excluded = newsroom.edition().items[-1]
    with newsroom.browser("editor", htmx=True) as editor:
        editor.post(f"{newsroom.board}/changes", data={"op": "exclude", "article_id": excluded.article_id})
        words = " ".join(excluded.brief.title.split()[:3])
        found = editor.get(f"{newsroom.board}/search", params={"q": words})
        assert found.status_code == 200 and excluded.brief.title in found.text
        doc = lxml.html.fromstring(found.text)
        [form] = [f for f in doc.cssselect("form") if f.cssselect(f"input[name=article_id][value='{excluded.article_id}']")]
        fields = {i.get("name"): i.get("value") for i in form.cssselect("input")}
        assert fields["op"] == "pin"
        assert editor.post(f"{newsroom.board}/changes", data=fields).status_code == 200
        nothing = editor.get(f"{newsroom.board}/search", params={"q": "zebrafish"})
        assert "No stored article matches “zebrafish”." in nothing.text
    assert excluded.article_id in {i.article_id for i in newsroom.edition().items}
