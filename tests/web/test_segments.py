"""Saved segments, served on loopback, on SQLite and PostgreSQL: a search of the subscribers table saved
under a name (CSRF, audited, admins only) is listed with its size on its list's page and the segments
page; an editor sends an edition to it from the board before approval; the send then reaches exactly
the list's confirmed members it finds (the file backend's outbox), and the segment cannot be deleted
while an edition waits for it."""

from __future__ import annotations

import email
import time
from email import policy
from pathlib import Path

import lxml.html

from digest.accounts import audit
from digest.audience import segments
from digest.domain import EditionStatus
from tests.web.newsroom import newsroom_each_db as room  # noqa: F401 (a pytest fixture)

SEGMENTS = "/admin/segments"
ENGLISH = {"segment_name": "English readers", "list_id": "world", "language": "en"}


def _text(html: str, css: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in lxml.html.document_fromstring(html).cssselect(css)]


def _save(room, who: str = "admin", **form: str):  # noqa: ANN001, ANN202, F811
    with room.browser(who) as browser:
        return browser.post(SEGMENTS, data={**ENGLISH, **form, "csrf": room.csrf(who)})


def _outbox(room) -> list[str]:  # noqa: ANN001, F811
    outbox = Path(room.settings.path(room.settings.delivery.outbox))
    found = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.glob("*.eml")]
    return sorted(m["To"].addresses[0].addr_spec for m in found)


def test_a_search_is_saved_as_a_segment_and_shown_with_its_size(room):  # noqa: F811
    with room.browser("admin") as admin:
        table = admin.get("/admin/subscribers", params={"list_id": "world", "language": "en"}).text
        form = lxml.html.document_fromstring(table).cssselect(f'form[action="{SEGMENTS}"]')[0]
        assert {i.name: i.value for i in form.inputs if i.type == "hidden" and i.name != "csrf"} == {
            "list_id": "world", "language": "en"}  # fmt: skip
        anywhere = admin.get("/admin/subscribers", params={"language": "en"}).text
        assert "choose a list above" in anywhere and f'action="{SEGMENTS}"' not in anywhere
        assert admin.post(SEGMENTS, data=ENGLISH).status_code == 403  # no CSRF token
    assert segments.segments(room.app.state.site.audience) == []

    saved = _save(room)
    assert (
        saved.status_code == 303 and saved.headers["location"] == "/admin/lists/world?done=segment#segments"
    )
    with room.browser("admin") as admin:
        page = admin.get(saved.headers["location"]).text
        assert "Segment saved." in page
        [row] = _text(page, "table.segments tbody tr")
        assert row.startswith("English readers language: en 2 Admin")  # Ada and Grace are confirmed
        link = lxml.html.document_fromstring(page).cssselect("table.segments th a")[0].get("href")
        assert sorted(_text(admin.get(link).text, "table.subscribers td:first-child")) == [
            "ada@example.org", "grace@example.org"]  # fmt: skip
        assert "English readers" in admin.get(SEGMENTS).text

    taken = _save(room)  # the list has a segment of that name
    assert (
        taken.status_code == 409
        and "has a segment named 'English readers' already" in _text(taken.text, ".error")[0]
    )
    back = lxml.html.document_fromstring(taken.text).cssselect(".error a")[0].get("href")
    assert back == "/admin/subscribers?list_id=world&language=en"  # back to the search, to name it otherwise
    nameless = _save(room, segment_name=" ")
    assert nameless.status_code == 422 and "give the segment a name" in _text(nameless.text, ".error")[0]
    unlisted = _save(room, list_id="")
    assert unlisted.status_code == 422 and "choose the list" in _text(unlisted.text, ".error")[0]
    [entry] = audit.entries(room.engine, action_prefix="segment.")
    assert (entry.action, entry.actor) == ("segment.create", "Admin <admin@example.org>")
    assert entry.details == {"name": "English readers", "list_id": "world", "language": "en"}


def test_only_admins_save_and_delete_segments(room):  # noqa: F811
    _save(room)
    [made] = segments.segments(room.app.state.site.audience)
    for who in ("viewer", "editor", "publisher"):
        assert _save(room, who, segment_name=f"by {who}").status_code == 403
        with room.browser(who) as browser:
            assert browser.get(SEGMENTS).status_code == 403
            assert (
                browser.post(f"{SEGMENTS}/{made.id}/delete", data={"csrf": room.csrf(who)}).status_code == 403
            )
    with room.browser("admin") as admin:
        assert admin.post(f"{SEGMENTS}/{made.id}/delete").status_code == 403  # no CSRF token
        gone = admin.post(f"{SEGMENTS}/{made.id}/delete", data={"csrf": room.csrf("admin")})
        assert gone.status_code == 303 and "Segment deleted." in admin.get(gone.headers["location"]).text
    assert segments.segments(room.app.state.site.audience) == []
    assert [e.action for e in audit.entries(room.engine, action_prefix="segment.")] == [
        "segment.delete",
        "segment.create",
    ]


def test_an_edition_sent_to_a_segment_reaches_exactly_its_confirmed_members(room):  # noqa: F811
    _save(room)
    _save(room, segment_name="Everyone but the French", language="", prefix="g")  # Grace and Greta
    [english, _] = segments.segments(room.app.state.site.audience)
    assert english.name == "English readers"
    board = room.board
    with room.browser("viewer") as viewer:
        page = viewer.get(board).text
        assert (
            "every confirmed member of the list" in _text(page, "#audience")[0]
            and 'id="audience-segment"' not in page
        )
        refused = viewer.post(
            f"{board}/audience", data={"segment": str(english.id), "csrf": room.csrf("viewer")}
        )
        assert refused.status_code == 403
    with room.browser("editor") as editor:
        options = _text(editor.get(board).text, "#audience-segment option")
        assert options == [
            "every confirmed member of the list",
            "English readers (about 2)",
            "Everyone but the French (about 2)",
        ]
        assert (
            editor.post(f"{board}/audience", data={"segment": str(english.id)}).status_code == 403
        )  # no CSRF
        chosen = editor.post(
            f"{board}/audience", data={"segment": str(english.id), "csrf": room.csrf("editor")}
        )
        assert chosen.status_code == 303
        shown = _text(editor.get(board).text, "#audience p")[0]
        assert shown == "Goes to: the segment “English readers”: its confirmed members (about 2)"
        unknown = editor.post(f"{board}/audience", data={"segment": "9999", "csrf": room.csrf("editor")})
        assert unknown.status_code == 404 and room.edition().edition.segment_id == english.id
    [entry] = audit.entries(room.engine, action_prefix="edition.audience")
    assert (
        entry.details == {"segment_id": english.id, "segment": "English readers"}
        and entry.actor == "Editor <editor@example.org>"
    )

    with room.browser("admin") as admin:  # the edition waits for it: the segment stays
        kept = admin.post(f"{SEGMENTS}/{english.id}/delete", data={"csrf": room.csrf("admin")})
        assert kept.status_code == 409 and f"edition #{room.edition_id}" in _text(kept.text, ".error")[0]

    with room.browser("publisher") as publisher:
        assert publisher.post(f"{board}/approve", data={"csrf": room.csrf("publisher")}).status_code == 303
        assert publisher.post(f"{board}/send", data={"csrf": room.csrf("publisher")}).status_code == 303
    deadline = time.monotonic() + 60
    while room.edition().edition.status != EditionStatus.SENT and time.monotonic() < deadline:
        time.sleep(0.2)
    assert room.edition().edition.status == EditionStatus.SENT
    assert _outbox(room) == [
        "ada@example.org",
        "grace@example.org",
    ]  # not Jean, Greta (confirmed), nor Paola (pending)


def test_a_new_audience_sends_an_approved_edition_back_to_draft(room):  # noqa: F811
    _save(room)
    [english] = segments.segments(room.app.state.site.audience)
    with room.browser("publisher") as publisher:
        assert (
            publisher.post(f"{room.board}/approve", data={"csrf": room.csrf("publisher")}).status_code == 303
        )
        assert "sends the edition back to draft" in publisher.get(room.board).text
        publisher.post(
            f"{room.board}/audience", data={"segment": str(english.id), "csrf": room.csrf("publisher")}
        )
        assert room.edition().edition.status == EditionStatus.DRAFT
        back = publisher.post(f"{room.board}/audience", data={"segment": "", "csrf": room.csrf("publisher")})
        assert back.status_code == 303 and room.edition().edition.segment_id is None
