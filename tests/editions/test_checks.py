"""Checks before sending: each failed check named next to its item, the links asked of a real HTTP
server on loopback (HEAD, then GET; a timeout; all at once; answers kept a few minutes)."""

from __future__ import annotations

import time
from unittest.mock import patch

import pytest

from digest import config
from digest.domain import Actor, Article, Brief, Edition, Image, Quote
from digest.editions import service
from digest.editions.checks import Check, find_problems
from digest.editions.preview import Mail
from digest.ingest.linkcheck import LinkChecker, LinkState
from digest.render import BUDGET
from tests.conftest import write_config
from tests.editions.test_service import newsroom  # noqa: F401 (a pytest fixture)
from tests.servers.feeds import IngestServer, article_page, story_text
from tests.servers.tls import self_signed

ANA = Actor.named("Ana")


@pytest.fixture
def server():
    with IngestServer() as running:
        yield running


def test_links_are_asked_head_then_get_and_broken_ones_say_why(server):
    ok_head = server.add("/head", "x", head=True)
    ok_get = server.add("/get", "x")  # HEAD refused (405), GET answers
    gone = server.add("/gone", "x", status=404)
    failing = server.add("/fails", "x", status=500)
    moved = server.add("/moved", redirect=server.add("/target", "x"), status=301)
    slow = server.add("/slow", "x", delay=2)
    nowhere = "http://127.0.0.1:9/closed"  # the discard port: nothing listens

    not_web = "ftp://127.0.0.1/file"
    checked = [ok_head, ok_get, gone, failing, moved, slow, nowhere, not_web]
    states = LinkChecker(timeout=0.5).check(checked, public_only=False)  # the server is on loopback
    assert {u: s.ok for u, s in states.items()} == {
        ok_head: True, ok_get: True, gone: False, failing: False, moved: True, slow: False, nowhere: False,
        not_web: False,
    }  # fmt: skip
    assert (server.heads["/head"], server.hits["/head"]) == (1, 0)  # HEAD was enough
    assert (server.heads["/get"], server.hits["/get"]) == (1, 1)
    assert states[gone].detail == "HTTP 404 Not Found"
    assert states[slow].detail == "no answer within 0.5 s"
    assert states[nowhere].detail == "its server refused the connection"
    assert states[not_web].detail == "it is not a web address (http or https)"


def test_links_to_private_addresses_are_not_asked_unless_allowed(server):
    page = server.add("/page", "x", head=True)
    moved = server.add("/moved", redirect=page, status=301)
    refused = LinkChecker(timeout=2).check([page, moved])  # public addresses only, as by default
    assert {s.ok for s in refused.values()} == {False}
    assert refused[page].detail == "it points to a private or local address, which readers cannot reach"
    assert server.heads["/page"] == server.hits["/page"] == server.heads["/moved"] == 0  # nothing was asked
    allowed = LinkChecker(timeout=2).check([page, moved], public_only=False)
    assert {s.ok for s in allowed.values()} == {True}


def test_links_are_asked_at_once_and_kept_for_a_while(server):
    urls = [server.add(f"/page{i}", "x", head=True, delay=0.4) for i in range(12)]
    now = [0.0]
    checker = LinkChecker(timeout=5, keep=300, clock=lambda: now[0])
    started = time.monotonic()
    assert all(s.ok for s in checker.check(urls, public_only=False).values())
    assert time.monotonic() - started < 12 * 0.4 / 2  # not one after the other
    now[0] = 299
    checker.check(urls, public_only=False)
    assert sum(server.heads.values()) == 12  # kept: not asked again
    now[0] = 301
    checker.check(urls[:1], public_only=False)
    assert sum(server.heads.values()) == 13


def _mail(**fields) -> Mail:
    return Mail(**{"subject": "A fine subject", "html": "<p>x</p>", "text": "x", "size": 1000, "held_back": 0} | fields)


ARTICLE = Article("Rain at last", ["“We have waited for this rain,” the mayor said. Farmers were glad."], id=1)


def test_every_check_of_the_mail_and_its_items():
    items = [
        Brief("Rain at last", "The mayor welcomed the rain.", [Quote("We have waited for rain")], article_id=1,
              image=Image("https://img.example/a.jpg", alt=" ")),
        Brief("Second story", "  ", article_id=2, url="https://news.example/second"),
        Brief("TK: a title to come", "Lorem  ipsum dolor sit amet.", article_id=3),
        Brief("Fine story", "A lede with XXXL shirts and a TKO, no placeholders.", article_id=4),
    ]  # fmt: skip
    edition = Edition("world", "A fine subject", items, intro="XXX write the intro", id=7)
    mail = _mail(
        subject="S" * 79,
        html='<p><img src="https://cdn.example/logo.png"><img src="https://img.example/a.jpg" alt=" "></p>',
        size=BUDGET + 1,
        held_back=2,
        unsubscribe=False,
    )
    links = {"https://news.example/second": LinkState("https://news.example/second", False, "HTTP 404 Not Found")}
    found = find_problems(edition, {1: ARTICLE}, mail, links)
    assert [(c.item, c.kind) for c in found] == [
        (1, "alt"), (1, "quote"), (2, "link"), (2, "lede"), (3, "placeholder"), (3, "placeholder"),
        (None, "alt"), (None, "placeholder"), (None, "subject"), (None, "size"), (None, "size"), (None, "unsubscribe"),
    ]  # fmt: skip
    said = {(c.item, c.kind): c.message for c in found}
    assert said[(2, "link")] == "the link https://news.example/second does not work: HTTP 404 Not Found"
    assert said[(2, "lede")] == "item 2 (“Second story”) has an empty lede"
    assert "“We have waited for rain” does not appear word for word" in said[(1, "quote")]
    assert found[4].message == "item 3: its title still holds the placeholder “TK”"
    assert found[5].message == "item 3: its lede still holds the placeholder “Lorem  ipsum”"
    assert said[(None, "placeholder")] == "the intro still holds the placeholder “XXX”"
    assert said[(None, "subject")] == "the subject has 79 characters, over 78"
    assert said[(None, "alt")] == "the image https://cdn.example/logo.png has no alt attribute"


def test_a_clean_edition_passes_and_an_empty_subject_fails():
    edition = Edition("world", "Rain", [Brief("Rain at last", "The mayor welcomed the rain.", article_id=1)], id=7)
    assert find_problems(edition, {1: ARTICLE}, _mail(), {}) == []
    assert find_problems(edition, {1: ARTICLE}, _mail(subject=" "), {}) == [
        Check(None, "subject", "the subject is empty")
    ]


def test_the_service_checks_the_mail_as_sent_and_its_links_over_the_network(newsroom, tmp_path):  # noqa: F811
    settings, engine, instance = newsroom
    server_tls, client_tls = self_signed(tmp_path)
    with IngestServer(tls=server_tls) as server:
        _service_checks(settings, engine, instance, server, client_tls)


def _service_checks(settings, engine, instance, server, client_tls):
    settings = settings.model_copy(update={"fetch_private_addresses": True})  # the page is on 127.0.0.1
    page = article_page("Tram line opens", story_text(3), published="2026-11-30T08:00:00Z")
    url = server.add("/tram", page, content_type="text/html; charset=utf-8", head=True)
    edition = service.build(engine, settings, "world", actor=ANA).edition
    with patch("digest.ingest.fetch._tls", lambda: client_tls):  # the fetchers trust the test's authority
        service.change(engine, settings, edition.id, ANA, "add", url=url)  # the mail links to https only
    service.change(engine, settings, edition.id, ANA, "subject", text="TKTK")
    edited = service.change(engine, settings, edition.id, ANA, "move", article_id=_id_of(engine, url), position=1)
    assert edited.items[0].url == url

    checker = LinkChecker(timeout=2, verify=client_tls)
    server.routes["/tram"].status = 404  # the page went away after it was added
    found = service.checks(engine, settings, edition.id, checker)
    assert Check(1, "link", f"the link {url} does not work: HTTP 404 Not Found") in found
    assert Check(None, "placeholder", "the subject still holds the placeholder “TKTK”") in found
    assert not [c for c in found if c.kind == "unsubscribe"]
    assert server.heads["/tram"] == 1 and server.hits["/tram"] == 2  # added by a GET; checked by HEAD then GET

    # a template that drops the reader's unsubscribe link fails the check
    for part in ("mjml", "txt"):
        footer = instance / f"templates/partials/footer.{part}.j2"
        dropped = footer.read_text().replace("if field in fields %}", "if field in fields and field != 'unsubscribe_url' %}")
        assert dropped != footer.read_text()
        footer.write_text(dropped)
    settings = config.load(write_config(instance, templates=str(instance / "templates")))
    found = service.checks(engine, settings, edition.id, checker)
    assert Check(None, "unsubscribe", "the mail has no unsubscribe link for its reader (HTML and text parts)") in found


def _id_of(engine, url: str) -> int:
    from digest.store.articles import article_by_url

    with engine.connect() as conn:
        article = article_by_url(conn, url)
    assert article is not None and article.id is not None
    return article.id
