"""The lead image: its URL, alt text, width and height as the page or feed gives them (og:image:width and
og:image:height, the <img> attributes, media:content), stored and handed back by the store on the
Article with its caption, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from digest.config import Source
from digest.domain import Article, Image
from digest.ingest.run import ingest
from digest.store.articles import articles_by_ids
from tests.servers.feeds import (
    DATE,
    FAST,
    article_page,
    paragraphs_html,
    rss,
    settings_of,
    stored,
    story_text,
)

pytest_plugins = ["tests.servers.feeds"]


def articles(engine, source: str) -> list[Article]:
    """The source's articles as the store hands them to editions, in the order they were stored."""
    ids = [row.id for row in stored(engine, source)]
    with engine.connect() as conn:
        found = articles_by_ids(conn, ids)
    return [found[i] for i in ids]


def test_a_pages_lead_image_keeps_its_alt_text_and_size(tmp_path, server, engine):
    og = server.add(
        "/og",
        article_page("Ferry at dawn", story_text(1), image="/img/ferry.jpg", image_alt="The ferry at dawn",
                     og_size=("1200", "630"), img_size=("600", "315"), caption="The first crossing."),
        content_type="text/html",
    )  # fmt: skip
    figure = server.add(
        "/figure",
        article_page("Tram at night", story_text(2), image="/img/tram.jpg", image_alt="A tram",
                     img_size=("640", "427px")),
        content_type="text/html",
    )  # fmt: skip
    odd = server.add(
        "/odd",
        article_page("Bridge", story_text(3), image="/img/bridge.jpg", og_size=("100%", "0"), img_size=("auto", "")),
        content_type="text/html",
    )  # fmt: skip
    settings = settings_of(
        tmp_path, *(Source(name=name, kind="page", url=url) for name, url in (("og", og), ("figure", figure), ("odd", odd)))
    )  # fmt: skip
    assert ingest(engine, settings, limits=FAST).new == 3

    (ferry,) = articles(engine, "og")  # og:image's own size wins over the figure's display size
    assert ferry.image == Image(server.url("/img/ferry.jpg"), "The ferry at dawn", 1200, 630)
    assert ferry.caption == "The first crossing."
    (tram,) = articles(engine, "figure")  # no og size: the <img> attributes
    assert tram.image == Image(server.url("/img/tram.jpg"), "A tram", 640, 427)
    (bridge,) = articles(engine, "odd")  # sizes that are not a number of pixels are no size
    assert bridge.image == Image(server.url("/img/bridge.jpg"), None, None, None)


def test_a_feeds_image_keeps_its_size_from_media_content_or_the_img_of_its_html(tmp_path, server, engine):
    body = paragraphs_html(story_text(4))
    items = [
        {"title": "Media", "link": "https://m.example.org/1", "guid": "m1", "date": DATE, "content": body,
         "image": "https://img.example.org/m.jpg", "image_size": ("800", "450")},
        {"title": "Inline", "link": "https://m.example.org/2", "guid": "m2", "date": DATE,
         "content": '<p><img src="/i/2.jpg" alt="Harbour  wall" width="300" height="200"></p>' + body},
    ]  # fmt: skip
    json_items = {"version": "https://jsonfeed.org/version/1.1", "title": "j", "home_page_url": "https://j.example.org/",
                  "items": [{"id": "j1", "url": "https://j.example.org/1", "title": "JSON",
                             "content_html": '<figure><img src="/j.jpg" width="1024" height="768"></figure>' + body}]}  # fmt: skip
    settings = settings_of(
        tmp_path,
        Source(name="rss", kind="feed", url=server.add("/rss", rss(items))),
        Source(name="json", kind="feed", url=server.add("/json", json.dumps(json_items), content_type="application/feed+json")),
    )  # fmt: skip
    assert ingest(engine, settings, limits=FAST).failed == {}

    media, inline = articles(engine, "rss")
    assert media.image == Image("https://img.example.org/m.jpg", None, 800, 450)
    assert inline.image == Image(
        "https://example.org/i/2.jpg", "Harbour wall", 300, 200
    )  # the feed's link is the base
    assert 'width="300"' in inline.html and 'height="200"' in inline.html  # the sanitized HTML keeps the size
    (from_json,) = articles(engine, "json")
    assert from_json.image == Image("https://j.example.org/j.jpg", None, 1024, 768)


def test_full_text_describes_the_feeds_image_and_sizes_it_only_when_it_is_the_same_file(
    tmp_path, server, engine
):
    page = {
        "/same": article_page("Same file", story_text(5, paragraphs=5), image="https://img.example.org/s.jpg",
                              image_alt="The same photo", og_size=("1600", "900")),
        "/other": article_page("Other file", story_text(6, paragraphs=5), image="https://img.example.org/big.jpg",
                               image_alt="The photo, larger", og_size=("1600", "900")),
    }  # fmt: skip
    for path, html in page.items():
        server.add(path, html, content_type="text/html")
    items = [
        {"title": "Same file", "link": server.url("/same"), "guid": "s", "date": DATE, "summary": "A summary.",
         "image": "https://img.example.org/s.jpg"},
        {"title": "Other file", "link": server.url("/other"), "guid": "o", "date": DATE, "summary": "A summary.",
         "image": "https://img.example.org/thumb.jpg", "image_size": ("150", "150")},
    ]  # fmt: skip
    feed = Source(name="city", kind="feed", url=server.add("/feed.xml", rss(items)), full_text=True)
    assert ingest(engine, settings_of(tmp_path, feed), limits=FAST).new == 2

    same, other = articles(engine, "city")
    assert same.image == Image("https://img.example.org/s.jpg", "The same photo", 1600, 900)
    assert other.image == Image("https://img.example.org/thumb.jpg", "The photo, larger", 150, 150)
