"""An edition's history, served on loopback: its change log newest first with who and when, each
rewrite with its text before and after; only for those who may read the edition's list."""

from __future__ import annotations

import lxml.html

from digest.domain import Actor, EditionStatus, Role
from digest.editions import service
from digest.trim import trim
from tests.web.newsroom_support import newsroom  # noqa: F401 (a pytest fixture)


def entries(html: str) -> list[str]:
    page = lxml.html.document_fromstring(html)
    return [" ".join(" ".join(li.itertext()).split()) for li in page.xpath('//ol[@class="log"]/li')]


def test_the_history_tells_who_changed_what_and_the_ledes_before_and_after(newsroom):  # noqa: F811
    engine, settings, draft_id = newsroom.engine, newsroom.settings, newsroom.draft_id
    [item] = service.show(engine, settings, draft_id, None).edition.items
    article = item.article_id
    service.change(engine, settings, draft_id, Actor.named("Ana <ana@example.org>"), "lede", article_id=article, text="First rewrite.")
    service.change(engine, settings, draft_id, Actor.named("Bo <bo@example.org>"), "lede", article_id=article, text="Second <b>rewrite</b>.")
    service.change(engine, settings, draft_id, Actor.named("Bo <bo@example.org>"), "subject", text="A better subject")
    service.transition(engine, draft_id, EditionStatus.APPROVED, Actor.named("Pat <pat@example.org>"))
    service.change(engine, settings, draft_id, Actor.named("Ana <ana@example.org>"), "intro", text="Hello, readers.")
    with newsroom.user("vi@example.org", Role.VIEWER) as browser:
        page = browser.get(f"/newsroom/editions/{draft_id}/history")
    assert page.status_code == 200
    log = entries(page.text)
    assert len(log) == 7
    unapprove, intro, approved, subject, second, first, built = log  # newest first
    assert intro.startswith("Ana <ana@example.org> wrote the intro") and "Before none After Hello, readers." in intro
    assert unapprove.startswith("Ana <ana@example.org> sent it back to draft")
    assert approved.startswith("Pat <pat@example.org> approved it")
    assert "Bo <bo@example.org> rewrote the subject" in subject and "Before not recorded After A better subject" in subject
    assert "Bo <bo@example.org> rewrote the lede of “Story number 1 of the newsroom test”" in second
    assert "Before First rewrite. After Second <b>rewrite</b>." in second  # text, escaped: never markup
    machine = trim(_article(newsroom, article), lede_words=60, max_quotes=1).lede
    assert first.startswith("Ana <ana@example.org> rewrote the lede") and f"Before {machine} After First rewrite." in first
    assert built.startswith("Ana built the edition")
    assert "<b>rewrite</b>" not in page.text and "&lt;b&gt;rewrite&lt;/b&gt;" in page.text
    assert "·" in approved and lxml.html.document_fromstring(page.text).xpath("//ol/li//time/@datetime")


def _article(newsroom, article_id):  # noqa: F811
    from digest.store.articles import articles_by_ids

    with newsroom.engine.connect() as conn:
        return articles_by_ids(conn, [article_id])[article_id]


def test_the_history_is_for_those_who_may_read_the_list(newsroom):  # noqa: F811
    path = f"/newsroom/editions/{newsroom.draft_id}/history"
    with newsroom.user("other@example.org", Role.ADMIN, lists=("monde",)) as browser:
        assert browser.get(path).status_code == 403
        assert browser.get("/newsroom/editions/999999/history").status_code == 404
        assert browser.get("/newsroom/editions/nope/history").status_code == 400
    with newsroom.anonymous() as visitor:
        asked = visitor.get(path)
        assert asked.status_code == 303 and asked.headers["location"] == f"/signin?next={path}"
