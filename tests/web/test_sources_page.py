"""The admin console's sources, served on loopback on SQLite and PostgreSQL: editors and up see each
source's health, only admins change them or read one now; config.yaml's sources are the file's
(read-only, but read now works); a feed added in the browser is read by "read now" (a loopback feed
server), by the scheduled ingest with config.yaml's, not once disabled, and only on public addresses
unless the instance allows private ones; the JSON API adds and changes them; each change is audited."""

from __future__ import annotations

import httpx
import lxml.html
import pytest

from digest.accounts import audit
from digest.accounts.tokens import ApiTokens
from digest.domain import Actor
from digest.editions import service
from digest.ingest.run import ingest
from tests.servers.feeds import IngestServer, rss, story_text
from tests.web.newsroom import open_newsroom

PAGE = "/admin/sources"


def _feed(n: int) -> str:
    return rss([{"title": f"Story {i}", "link": f"https://news.example.org/{i}", "guid": f"s-{i}",
                 "date": "Mon, 02 Nov 2026 08:00:00 GMT", "content": "".join(f"<p>{p}</p>" for p in story_text(i))}
                for i in range(n)])  # fmt: skip


@pytest.fixture
def feeds():
    with IngestServer() as server:
        yield server


def _room(instance, db_url, **overrides):  # noqa: ANN001, ANN202
    return open_newsroom(instance, database_url=db_url, **overrides)


@pytest.fixture
def room(instance, db_url):
    newsroom, server = _room(instance, db_url, fetch_private_addresses=True)
    with server:
        yield newsroom
    newsroom.engine.dispose()


def _rows(html: str) -> dict[str, list[str]]:
    page = lxml.html.document_fromstring(html)
    return {(tr.xpath("th")[0].text or "").strip():
            [" ".join(td.text_content().split()) for td in tr.xpath("td")]
            for tr in page.xpath('//table[@class="sources"]/tbody/tr')}  # fmt: skip


def _add(client: httpx.Client, csrf: str, name: str, url: str, **more: str) -> httpx.Response:
    return client.post(PAGE, data={"csrf": csrf, "name": name, "kind": "feed", "url": url, **more})


def test_editors_see_the_health_and_only_admins_change_sources(room, feeds):
    url = feeds.add("/feed.xml", _feed(2))
    with room.browser("viewer") as viewer:
        assert viewer.get(PAGE).status_code == 403 and PAGE not in viewer.get("/newsroom").text
        assert _add(viewer, room.csrf("viewer"), "mine", url).status_code == 403
    for who in ("editor", "publisher"):
        with room.browser(who) as browser:
            page = browser.get(PAGE)
            assert page.status_code == 200 and "wire" in _rows(page.text) and "Read now" not in page.text
            assert 'action="/admin/sources"' not in page.text  # no form to add one
            assert _add(browser, room.csrf(who), "mine", url).status_code == 403
            assert (
                browser.post(f"{PAGE}/read", data={"csrf": room.csrf(who), "name": "wire"}).status_code == 403
            )
            assert browser.get(f"{PAGE}/edit", params={"name": "wire"}).status_code == 403
    with httpx.Client(base_url=room.url, timeout=10) as visitor:
        answer = visitor.get(PAGE)
        assert answer.status_code == 303 and answer.headers["location"] == f"/signin?next={PAGE}"
    with room.browser("admin") as admin:
        assert (
            admin.post(PAGE, data={"name": "mine", "kind": "feed", "url": url}).status_code == 403
        )  # no CSRF
        assert 'href="/admin/sources"' in admin.get("/newsroom").text
    assert feeds.hits["/feed.xml"] == 0 and audit.entries(room.engine, action="source.") == []


def test_a_feed_added_in_the_browser_is_read_now_and_by_the_scheduled_ingest_and_audited(room, feeds):
    url = feeds.add("/feed.xml", _feed(3))
    csrf = room.csrf("admin")
    with room.browser("admin") as admin:
        added = _add(admin, csrf, "  Loopback   wire ", url, language="en", weight="10", tags="world, tech",
                     lists="world")  # fmt: skip
        assert added.status_code == 303
        rows = _rows(admin.get(added.headers["location"]).text)
        assert (
            rows["Loopback wire"][0] == "this console feeds world"
            and rows["Loopback wire"][1] == "never read"
        )
        assert (
            rows["wire"][0] == "config.yaml"
            and "Edit" not in rows["wire"][-1]
            and "Read now" in rows["wire"][-1]
        )
        read = admin.post(f"{PAGE}/read", data={"csrf": csrf, "name": "Loopback wire"})
        assert read.status_code == 200 and "Loopback wire read: 3 new, 0 updated, 0 unchanged." in read.text
        assert _rows(read.text)["Loopback wire"][5] == "3"  # stored
        again = admin.post(
            f"{PAGE}/read", data={"csrf": csrf, "name": "wire"}
        )  # config.yaml's: read now works
        assert again.status_code == 200 and "wire read:" in again.text
        same = _add(admin, csrf, "wire", url)
        assert same.status_code == 409 and "config.yaml declares a source named" in same.text
        twice = _add(admin, csrf, "Loopback wire", url)
        assert twice.status_code == 409 and "added already" in twice.text
        bad = _add(admin, csrf, "ftp", "ftp://example.org/feed")
        assert bad.status_code == 422 and "url" in bad.text and 'value="ftp"' in bad.text
        folder = admin.post(PAGE, data={"csrf": csrf, "name": "files", "kind": "folder", "url": url})
        assert folder.status_code == 422 and "kind" in folder.text
    [entry] = audit.entries(room.engine, action="source.add")
    assert entry.details["name"] == "Loopback wire" and entry.details["tags"] == ["world", "tech"]
    assert (
        entry.details["weight"] == 10.0
        and entry.details["url"] == url
        and entry.details["lists"] == ["world"]
    )
    reads = audit.entries(room.engine, action="source.read")
    assert [e.details["name"] for e in reads] == ["wire", "Loopback wire"] and reads[1].details["new"] == 3
    rebuilt = service.build(room.engine, room.settings, "world", Actor.named("test")).edition
    assert rebuilt is not None and "Loopback wire" in {
        item.source for item in rebuilt.items
    }  # it feeds world
    feeds.add("/feed.xml", _feed(5))
    report = ingest(room.engine, room.settings)  # the scheduled run: config.yaml's sources and the added one
    assert report.new == 2 and feeds.hits["/feed.xml"] == 2


def test_an_added_source_is_edited_and_disabled_and_config_sources_are_read_only(room, feeds):
    url = feeds.add("/feed.xml", _feed(2))
    other = feeds.add("/other.xml", _feed(4))
    csrf = room.csrf("admin")
    with room.browser("admin") as admin:
        _add(admin, csrf, "mine", url)
        form = admin.get(f"{PAGE}/edit", params={"name": "mine"})
        assert form.status_code == 200 and f'value="{url}"' in form.text
        assert admin.get(f"{PAGE}/edit", params={"name": "wire"}).status_code == 409  # the file's
        assert admin.get(f"{PAGE}/edit", params={"name": "nobody"}).status_code == 404
        data = {"csrf": csrf, "name": "mine", "kind": "feed", "url": other, "weight": "3", "enabled": "yes"}
        saved = admin.post(f"{PAGE}/edit", data=data)
        assert saved.status_code == 303
        wrong = admin.post(f"{PAGE}/edit", data={**data, "weight": "11"})
        assert wrong.status_code == 422 and "weight" in wrong.text
        off = admin.post(f"{PAGE}/enabled", data={"csrf": csrf, "name": "mine", "enabled": "no"})
        assert off.status_code == 303
        rows = _rows(admin.get(off.headers["location"]).text)
        assert rows["mine"][0] == "this console · disabled feeds no list yet: edit it to choose one"
        assert "Read now" not in rows["mine"][-1]
        nowhere = admin.post(f"{PAGE}/edit", data={**data, "lists": "nowhere"})
        assert nowhere.status_code == 422 and "lists" in nowhere.text
        refused = admin.post(f"{PAGE}/read", data={"csrf": csrf, "name": "mine"})
        assert refused.status_code == 404 and "disabled" in refused.text
        assert (
            admin.post(f"{PAGE}/enabled", data={"csrf": csrf, "name": "wire", "enabled": "no"}).status_code
            == 409
        )
    ingest(room.engine, room.settings)
    assert feeds.hits["/other.xml"] == 0 and feeds.hits["/feed.xml"] == 0  # disabled: not read
    edits = audit.entries(room.engine, action="source.edit")
    assert edits[0].details == {"name": "mine", "enabled": False}  # the list "nowhere" was refused
    assert edits[1].details == {"name": "mine", "url": other, "weight": 3.0}


def test_an_added_source_is_read_on_public_addresses_only_unless_the_instance_allows_private_ones(
    instance, db_url, feeds
):
    url = feeds.add("/feed.xml", _feed(2))
    room, server = _room(instance, db_url)
    with server, room.browser("admin") as admin:
        _add(admin, room.csrf("admin"), "inside", url)
        read = admin.post(f"{PAGE}/read", data={"csrf": room.csrf("admin"), "name": "inside"})
        assert read.status_code == 200 and "inside could not be read" in read.text
        assert feeds.hits["/feed.xml"] == 0
    room.engine.dispose()


def test_the_api_adds_and_changes_sources_with_the_write_scope(room, feeds):
    url = feeds.add("/feed.xml", _feed(1))
    tokens = ApiTokens(room.engine)
    writer = tokens.create("writer", ["sources:read", "sources:write"], Actor.named("test")).secret
    reader = tokens.create("reader", ["sources:read"], Actor.named("test")).secret
    body = {"name": "api feed", "kind": "feed", "url": url, "tags": ["x"]}
    with httpx.Client(base_url=room.url, timeout=10) as api:
        refused = api.post("/api/v1/sources", json=body, headers={"Authorization": f"Bearer {reader}"})
        assert refused.status_code == 403
        auth = {"Authorization": f"Bearer {writer}"}
        made = api.post("/api/v1/sources", json=body, headers=auth)
        assert made.status_code == 201, made.text
        assert (
            made.json()["added"] is True and made.json()["url"] == url and made.json()["configured"] is False
        )
        assert api.post("/api/v1/sources", json={**body, "name": "wire"}, headers=auth).status_code == 409
        changed = api.patch("/api/v1/sources/api feed", json={"enabled": False, "weight": 4}, headers=auth)
        assert changed.status_code == 200 and changed.json()["enabled"] is False
        assert api.patch("/api/v1/sources/wire", json={"enabled": False}, headers=auth).status_code == 409
        assert api.patch("/api/v1/sources/nobody", json={}, headers=auth).status_code == 404
        listed = api.get("/api/v1/sources", headers=auth).json()["data"]
        assert [s["name"] for s in listed][-1] == "api feed"
    assert audit.entries(room.engine, action="source.edit")[0].actor == "API token writer (#1)"
