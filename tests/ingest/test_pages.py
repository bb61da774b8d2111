"""Full text and page sources: a summary-only item gets its article from its page; the page's canonical
link, lead image and publication time are kept; a page that cannot be read leaves the summary."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.config import Source
from digest.ingest.run import ingest
from tests.servers.feeds import DATE, FAST, article_page, rss, settings_of, source_row, stored, story_text

pytest_plugins = ["tests.servers.feeds"]

SUMMARY = "Council approves the night ferry after a long debate."


def test_summary_only_items_get_their_full_text_and_keep_the_summary_as_standfirst(tmp_path, server, engine):
    body = story_text(3, paragraphs=5)
    server.add(
        "/story/1",
        article_page(
            "Night ferry approved",
            body,
            canonical="/stories/night-ferry",
            image="/img/ferry.jpg",
            image_alt="The ferry at dusk",
            caption="The night ferry will leave at 23:00.",
            author="Ana Silva",
        ),
        content_type="text/html; charset=utf-8",
    )
    server.add("/story/2", "gone", status=404)
    server.add("/story/3", article_page("Undated in the feed", story_text(6), published="2026-11-20T06:00:00Z"),
               content_type="text/html")  # fmt: skip
    paywall = '<html><head><link rel="canonical" href="/"></head><body><article><h1>Paywalled</h1><p>Subscribe.</p></article></body></html>'
    server.add("/story/4", paywall, content_type="text/html")
    items = [
        {"title": "Night ferry approved", "link": server.url("/story/1?utm_source=rss"), "guid": "n1", "date": DATE, "summary": SUMMARY},
        {"title": "Lost page", "link": server.url("/story/2"), "guid": "n2", "date": DATE, "summary": "A summary only."},
        {"title": "Undated in the feed", "link": server.url("/story/3"), "guid": "n3", "summary": "No date here."},
        {"title": "Paywalled", "link": server.url("/story/4"), "guid": "n4", "date": DATE, "summary": SUMMARY},
    ]  # fmt: skip
    feed_url = server.add("/feed.xml", rss(items))
    settings = settings_of(tmp_path, Source(name="city", kind="feed", url=feed_url, full_text=True))
    report = ingest(engine, settings, limits=FAST)
    assert report.failed == {} and report.new == 4

    full, lost, undated, paywalled = stored(engine, "city")
    assert full.body.split("\n\n") == body
    assert full.standfirst == SUMMARY
    assert full.canonical_url == full.url == server.url("/stories/night-ferry")  # <link rel="canonical">
    assert (full.image_url, full.image_alt) == (server.url("/img/ferry.jpg"), "The ferry at dusk")
    assert full.caption == "The night ferry will leave at 23:00."
    assert full.published_at == datetime(2026, 11, 27, 9, 15, tzinfo=UTC)  # the feed's date
    assert lost.body == "A summary only."
    assert undated.published_at == datetime(2026, 11, 20, 6, tzinfo=UTC)  # the page's date
    assert not undated.published_guessed
    assert paywalled.body == SUMMARY and paywalled.url == server.url(
        "/story/4"
    )  # not the canonical site root
    assert any("item 4: full text unavailable" in line and "no more text than the feed's summary" in line
               for line in report.skipped)  # fmt: skip
    assert any(
        line.startswith(f"{feed_url} item 2: full text unavailable") and "HTTP 404" in line
        for line in report.skipped
    ), report.skipped

    again = ingest(
        engine, settings, limits=FAST
    )  # the entries did not change: their pages are not fetched again
    assert (again.unchanged, again.updated) == (4, 0)
    assert server.hits["/story/1"] == 1 and server.hits["/story/2"] == 1


def test_a_page_source_is_one_article_keyed_by_its_canonical_url(tmp_path, server, engine):
    body = story_text(4)
    url = server.add(
        "/opinion",
        article_page("A bridge too far", body, canonical="https://news.example.org/opinion/bridge#top",
                     published="2026-11-26T18:30:00+01:00", image="https://img.example.org/b.jpg"),
        content_type="text/html",
        etag='"p1"',
    ) + "?fbclid=abc"  # fmt: skip
    settings = settings_of(tmp_path, Source(name="column", kind="page", url=url, language="en"))
    assert ingest(engine, settings, limits=FAST).new == 1
    (article,) = stored(engine, "column")
    assert article.guid == article.canonical_url == "https://news.example.org/opinion/bridge"
    assert article.title == "A bridge too far" and article.body.split("\n\n") == body
    assert article.published_at == datetime(2026, 11, 26, 17, 30, tzinfo=UTC)
    assert not article.published_guessed and article.image_url == "https://img.example.org/b.jpg"

    again = ingest(engine, settings, limits=FAST)
    assert again.not_modified == ["column"] and server.not_modified["/opinion"] == 1
    assert source_row(engine, "column").item_count == 1

    rooted = server.add(
        "/rooted", article_page("Rooted", story_text(5), canonical="/"), content_type="text/html"
    )
    ingest(engine, settings_of(tmp_path, Source(name="rooted", kind="page", url=rooted)), limits=FAST)
    assert stored(engine, "rooted")[0].canonical_url == rooted  # a canonical link to the site root is ignored


def test_a_page_without_an_article_fails_its_source_with_the_reason(tmp_path, server, engine):
    url = server.add(
        "/empty", "<html><body><nav><a href='/'>Home</a></nav></body></html>", content_type="text/html"
    )
    pdf = server.add("/file.pdf", b"%PDF-1.4", content_type="application/pdf")
    settings = settings_of(
        tmp_path, Source(name="empty", kind="page", url=url), Source(name="pdf", kind="page", url=pdf)
    )
    report = ingest(engine, settings, limits=FAST)
    assert report.failed["empty"] == f"{url}: no article text found on the page"
    assert report.failed["pdf"] == f"{pdf}: not an HTML page (application/pdf)"


def test_a_windows_1252_xhtml_page_without_a_http_charset_is_read_with_its_metadata(tmp_path, server, engine):
    body = ["Der Bürgermeister eröffnet die neue Fähre über den Fluss, sagte er am Dienstag."] + story_text(8)
    page = article_page("Fähre eröffnet", body, canonical="/faehre", published="2026-11-25T12:00:00Z",
                        image="/f.jpg", caption="Die Fähre im Nebel.")  # fmt: skip
    page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    page = '<?xml version="1.0" encoding="windows-1252"?>\n' + page
    url = server.add("/faehre-alt", page.encode("cp1252"), content_type="text/html")
    report = ingest(engine, settings_of(tmp_path, Source(name="de", kind="page", url=url)), limits=FAST)
    assert report.failed == {}
    (article,) = stored(engine, "de")
    assert article.title == "Fähre eröffnet" and article.body.startswith("Der Bürgermeister eröffnet")
    assert article.canonical_url == server.url("/faehre") and article.caption == "Die Fähre im Nebel."
    assert article.published_at == datetime(2026, 11, 25, 12, tzinfo=UTC)
