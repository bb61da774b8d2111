"""A public list's archive index and Atom feed, and the readers' pages wearing the list's theme,
served on loopback; a private list has no archive."""

from __future__ import annotations

import feedparser
import httpx
import lxml.html

from digest.editions import service
from digest.pipeline.serve import build_app
from tests.servers.web import Uvicorn
from tests.web.newsroom_support import SECRET, configure, newsroom  # noqa: F401 (newsroom: a pytest fixture)


def test_a_public_list_has_an_index_of_its_sent_editions_and_their_feed(newsroom):  # noqa: F811
    sent = service.show(newsroom.engine, newsroom.settings, newsroom.sent_id, None).edition
    with newsroom.anonymous() as reader:
        index = reader.get("/archive/list/world")
        feed = reader.get("/archive/list/world/feed.atom")
        private = reader.get("/archive/list/monde")
        private_feed = reader.get("/archive/list/monde/feed.atom")
        unknown = reader.get("/archive/list/nope")
    assert index.status_code == 200 and "public" in index.headers["cache-control"]
    page = lxml.html.document_fromstring(index.text)
    assert page.xpath("//h1")[0].text_content() == "Past editions of The World This Week"
    links = [(a.get("href"), a.text_content()) for a in page.xpath('//ol[@class="editions"]//a')]
    assert links == [(f"/archive/{newsroom.sent_id}", sent.subject)]  # the draft is not there
    assert page.xpath('//link[@rel="alternate"]/@href') == ["/archive/list/world/feed.atom"]
    assert page.xpath('//link[@rel="stylesheet"]/@href') == ["/static/public.css", "/theme/world.css"]

    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo and parsed.version == "atom10"
    assert parsed.feed.title == "The World This Week" and parsed.feed.language == "en"
    [entry] = parsed.entries
    assert entry.title == sent.subject and entry.link == f"https://digest.example.org/archive/{newsroom.sent_id}"
    assert all(item.title in entry.content[0].value for item in sent.items)
    assert private.status_code == private_feed.status_code == unknown.status_code == 404


def test_the_readers_pages_wear_the_list_theme_without_inline_styles(newsroom):  # noqa: F811
    with newsroom.anonymous() as reader:
        subscribe = reader.get("/subscribe/world")
        theme = reader.get("/theme/world.css")
        default = reader.get("/theme/nope.css")
    page = lxml.html.document_fromstring(subscribe.text)
    assert page.xpath('//header[@class="band"]')[0].text_content().strip() == "The World This Week"
    assert page.xpath("//style") == [] and page.xpath("//*[@style]") == []
    assert "style-src 'self'" in subscribe.headers["content-security-policy"]
    assert page.xpath('//a[@href="/archive/list/world"]')  # past editions, for a public list
    assert theme.headers["content-type"].startswith("text/css")
    assert "--brand: #1d4e89;" in theme.text and "--brand-ink: #ffffff;" in theme.text
    assert "--brand: #1d4e89;" in default.text  # a list config.yaml does not theme


def test_a_list_brand_colour_and_logo_reach_its_pages(instance, db_url):
    logo = {"brand_color": "#aa3300", "logo_url": "https://digest.example.org/logo.png"}
    settings = configure(instance, db_url, theme=logo)
    app = build_app(settings, str(instance / "config.yaml"), SECRET, scheduler=False)
    with Uvicorn(app) as server:
        css = httpx.get(server.url + "/theme/world.css").text
        page = lxml.html.document_fromstring(httpx.get(server.url + "/subscribe/world").text)
    app.state.site.engine.dispose()
    assert "--brand: #aa3300;" in css
    [logo] = page.xpath('//header[@class="band"]/img')
    assert logo.get("src") == "https://digest.example.org/logo.png" and logo.get("alt") == "The World This Week"
