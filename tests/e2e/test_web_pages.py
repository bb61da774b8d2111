"""The pages `digest serve` answers, over HTTP: HEAD wherever GET works, an HTML page in the reader's
language for whatever a reader can reach (a missing edition, a damaged link, a mistyped address, a
form that cannot be used), never JSON or a 500; and no token of a link in the access log."""

from __future__ import annotations

import email
import html
import re
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest

from tests.e2e.conftest import Program, Served, make_program

LINK = re.compile(r"https://digest\.example\.org(/(?:u|p|confirm|archive|review)/[^\s\"<>]+)")


def links_in_outbox(root: Path) -> dict[str, str]:
    """One link of each kind (u, p, confirm, archive) found in the outbox's mail, by kind."""
    found: dict[str, str] = {}
    for path in sorted((root / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                for link in LINK.findall(part.get_payload(decode=True).decode()):
                    found.setdefault(link.split("/")[1], link)
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[Program, Served, dict[str, str]]]:
    """One instance for the module: an edition sent, a draft of a reviewed French list, a pending
    subscriber; `digest serve` running; and one link of each kind a reader or an editor gets. On
    SQLite: what differs on PostgreSQL (ids beyond its integers) is tested in test_render_archive."""
    root = tmp_path_factory.mktemp("web")
    program = make_program(root / "instance", f"sqlite:///{root / 'digest.db'}")
    world = program.config()["lists"][0]
    desk = dict(world, id="desk", name="Le Bureau", language="fr",
                review={"editors": ["editor@example.org"]})  # fmt: skip
    program.configure(lists=[world, desk])
    program.run("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e")
    program.run("ingest")
    program.run("editions", "build", "world")
    program.run("editions", "approve", "1")
    program.run("send", "1")
    program.run("editions", "build", "desk")
    program.run("subscribers", "add", "new@example.org", "--list", "world")  # mails a confirmation link
    links = links_in_outbox(program.root)
    links["review"] = LINK.search(program.run("editions", "show", "2").stdout).group(1)
    assert set(links) == {"u", "p", "confirm", "archive", "review"}, links
    with program.serve() as served:
        yield program, served, links


def test_head_answers_like_get_on_every_get_route(site):
    _, served, links = site
    for path in ["/healthz", "/subscribe/world", *links.values(), "/archive/999"]:
        got, head = served.get(path), httpx.head(served.url + path, timeout=10)
        assert head.status_code == got.status_code, path
        assert got.status_code in (200, 404), path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert head.content == b"", path


@pytest.mark.parametrize(
    "path, status",
    [
        ("/archive/999", 404),
        ("/archive/9223372036854775808", 404),
        ("/archive/one", 404),
        ("/archive/2", 404),  # a draft is not in the archive
        ("/nowhere", 404),
        ("/subscribe/no-such-list", 404),
        ("/u/damaged-token", 400),
        ("/review/damaged-token", 400),
    ],
)
def test_what_a_reader_cannot_find_is_an_html_page_in_their_language(site, path, status):
    _, served, _ = site
    for language, words in [("fr-FR,fr;q=0.9,en;q=0.5", "lang=\"fr\""), ("de", "lang=\"de\""), ("", "lang=\"en\"")]:
        page = served.get(path, headers={"Accept-Language": language})
        assert page.status_code == status, (path, page.text[:200])
        assert page.headers["content-type"].startswith("text/html"), (path, page.text[:200])
        assert words in page.text, (path, language)
    french = html.unescape(served.get(path, headers={"Accept-Language": "fr"}).text)
    assert ("Page introuvable" if status == 404 else "Ce lien n'est pas valide") in french


def test_a_post_to_a_page_that_only_shows_is_an_html_page(site):
    _, served, _ = site
    page = httpx.post(served.url + "/archive/1", headers={"Accept-Language": "es"}, timeout=10)
    assert page.status_code == 405 and page.headers["content-type"].startswith("text/html")
    assert 'lang="es"' in page.text


def form(served: Served, list_id: str = "world") -> tuple[str, dict[str, str]]:
    """The subscribe form's CSRF field, and the cookie header a browser sends back with it (the
    cookie is Secure, as public_url is https: sent by hand here, where the test speaks plain HTTP)."""
    page = served.get(f"/subscribe/{list_id}")
    assert page.status_code == 200
    field = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return field, {"Cookie": f"digest_csrf={page.cookies['digest_csrf']}"}


def test_an_over_long_name_or_address_gets_the_form_back_with_a_message(site):
    _, served, _ = site
    field, cookie = form(served)
    answer = httpx.post(served.url + "/subscribe/world", headers=cookie, timeout=10,
                        data={"email": "long@example.org", "name": "N" * 201, "csrf": field})  # fmt: skip
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert "The name is too long: at most 200 characters." in answer.text
    assert 'value="long@example.org"' in answer.text and '<form method="post"' in answer.text
    answer = httpx.post(served.url + "/subscribe/world", headers=cookie, timeout=10,
                        data={"email": "a" * 320 + "@example.org", "csrf": field})  # fmt: skip
    assert answer.status_code == 422 and "This email address is not valid" in answer.text


def test_with_cookies_blocked_the_form_says_that_it_needs_them(site):
    _, served, _ = site
    field, cookie = form(served)
    answer = httpx.post(served.url + "/subscribe/world", data={"email": "c@example.org", "csrf": field}, timeout=10)
    assert answer.status_code == 403 and answer.headers["content-type"].startswith("text/html")
    assert "cookie" in answer.text.lower() and "allow" in answer.text.lower()
    # With the cookie, the same form goes through.
    answer = httpx.post(served.url + "/subscribe/world", headers=cookie, timeout=10,
                        data={"email": "c@example.org", "csrf": field})  # fmt: skip
    assert answer.status_code == 200 and "Check your inbox" in answer.text


def test_no_token_of_a_link_reaches_the_access_log(site):
    _, served, links = site
    for path in links.values():
        served.get(path)
    log = served.log()
    for kind, path in links.items():
        if kind != "archive":
            assert path.split("/")[2] not in log, f"the {kind} token is in the access log"
            assert f"/{kind}/[token]" in log


def test_a_reader_follows_a_public_list_in_a_feed_reader(site):
    program, served, links = site
    subscribe = served.get("/subscribe/world")
    assert 'href="/archive/list/world"' in subscribe.text  # "Read past editions"
    index = served.get("/archive/list/world")
    assert index.status_code == 200 and f'href="{links["archive"]}"' in index.text
    assert 'type="application/atom+xml"' in index.text
    feed = served.get("/archive/list/world/feed.atom")
    parsed = feedparser.parse(feed.content)
    assert feed.status_code == 200 and not parsed.bozo and parsed.version == "atom10"
    [entry] = parsed.entries  # the sent edition; the desk's draft is another list's, and a draft
    assert entry.link == "https://digest.example.org" + links["archive"]  # the mail's "view in browser"
    shown = program.run("editions", "show", "1").stdout
    assert entry.title in " ".join(shown.split())
    assert feedparser.parse(served.get("/archive/list/desk/feed.atom").content).entries == []
