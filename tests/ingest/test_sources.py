"""Ingest against a real HTTP server on 127.0.0.1: every bad case is recorded with what was wrong and
where, and every other source and every good item still lands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digest.config import Source
from digest.ingest.run import ingest
from tests.servers.feeds import (
    DATE,
    FAST,
    atom,
    good_items,
    json_feed,
    paragraphs_html,
    rss,
    settings_of,
    source_row,
    stored,
    story_text,
)

pytest_plugins = ["tests.servers.feeds"]

LATIN1 = rss([{"title": "Café à Zürich", "link": "https://l.example.org/1", "guid": "l1", "date": DATE,
               "content": "<p>Une journée d'été très animée près du lac.</p>"}])  # fmt: skip
CUT_OFF = rss(good_items("cut", 2, seed=50)).replace("</channel></rss>", "<item><title>Cut off <b>here")

# name, route, reason of failure (None: the source succeeds), note expected, articles stored from it
BAD_CASES = [
    ("malformed-xml", {"body": CUT_OFF}, None, "item 3: item has neither a title nor any text", 2),
    ("wrong-charset", {"body": LATIN1.encode("latin-1")}, None, "wrong or missing charset", 1),
    (
        "missing-charset",
        {
            "body": LATIN1.replace(' encoding="utf-8"', "").encode("latin-1"),
            "content_type": "application/xml",
        },
        None,
        "wrong or missing charset",
        1,
    ),
    (
        "html-as-feed",
        {"body": "<!doctype html><html><body><p>Hi</p></body></html>", "content_type": "text/html"},
        "not a feed: an HTML page (text/html)",
        None,
        0,
    ),  # fmt: skip
    ("empty-feed", {"body": rss([])}, None, "the feed has no items", 0),
    ("not-found", {"body": "gone", "status": 404}, "HTTP 404", None, 0),
    ("server-error", {"body": "oops", "status": 500}, "HTTP 500", None, 0),
    ("endless-redirects", {"redirect": "/endless-redirects?n={n}"}, "more than 3 redirects", None, 0),
    (
        "stall",
        {"body": rss(good_items("stall")), "stall": 2.0},
        "timed out (the server stopped sending)",
        None,
        0,
    ),
    ("huge-body", {"huge": 3_000_000}, "body exceeds the 1 MB cap", None, 0),
    ("trickle", {"body": rss(good_items("slow")), "trickle": 0.05}, "took longer than 1.5 s in all", None, 0),
    ("busy-then-fine", {"body": rss(good_items("busy")), "flaky": 1}, None, None, 3),
    (
        "busy-for-an-hour",
        {"body": "", "flaky": 9, "retry_after": "3600"},
        "HTTP 503 Service Unavailable",
        None,
        0,
    ),
    ("empty-body", {"body": ""}, "empty response", None, 0),
    (
        "json-not-a-feed",
        {"body": '{"hello": 1}', "content_type": "application/json"},
        "not a JSON Feed",
        None,
        0,
    ),
]


def test_each_bad_source_is_recorded_and_every_good_item_still_lands(tmp_path, server, engine):
    """All the bad cases in one run beside a good feed: they are gathered concurrently, so one stalling
    or huge source must not hold up or break the others."""
    server.add("/good.xml", rss(good_items("good")))
    urls = {name: server.add(f"/{name}", **route) for name, route, *_ in BAD_CASES}
    settings = settings_of(
        tmp_path,
        Source(name="good", kind="feed", url=server.url("/good.xml")),
        *(Source(name=name, kind="feed", url=url) for name, url in urls.items()),
    )
    report = ingest(engine, settings, limits=FAST)

    assert [a.title for a in stored(engine, "good")] == ["good story 0", "good story 1", "good story 2"]
    assert set(report.failed) == {name for name, _, reason, *_ in BAD_CASES if reason}
    for name, _, reason, note, count in BAD_CASES:
        assert len(stored(engine, name)) == count, name
        row = source_row(engine, name)
        if reason:
            assert reason in report.failed[name] and urls[name] in report.failed[name], (
                name,
                report.failed[name],
            )
            assert row.last_error == report.failed[name] and row.failures == 1 and row.last_success_at is None
        else:
            assert row.last_error is None and row.last_success_at is not None, name
        if note:
            assert any(line.startswith(urls[name]) and note in line for line in report.skipped), (
                name,
                report.skipped,
            )
    assert server.hits["/busy-then-fine"] == 2  # a 503 is retried once, after a short back-off
    assert (
        server.hits["/busy-for-an-hour"] == 1
        and "(asked to wait 3600 s)" in report.failed["busy-for-an-hour"]
    )


def test_a_wrongly_declared_charset_is_decoded_as_what_it_really_is(tmp_path, server, engine):
    url = server.add("/latin1.xml", LATIN1.encode("latin-1"))
    ingest(engine, settings_of(tmp_path, Source(name="latin", kind="feed", url=url)), limits=FAST)
    (article,) = stored(engine, "latin")
    assert article.title == "Café à Zürich"
    assert article.body == "Une journée d'été très animée près du lac."


def test_rss_atom_and_json_feed_land_with_dates_authors_images_and_tags(tmp_path, server, engine):
    item = {
        "title": "Ferry service resumes",
        "link": "https://news.example.org/ferry?utm_source=rss&utm_medium=feed&id=7#comments",
        "guid": "ferry-1",
        "date": DATE,
        "content": paragraphs_html(story_text(1)) + '<script>alert(1)</script><p onclick="steal()">x</p>',
        "image": "https://img.example.org/ferry.jpg?w=800",
        "tags": ["transport", "coast"],
    }
    iso = dict(item, date="2026-11-27T10:15:00+01:00", guid="ferry-atom")
    settings = settings_of(
        tmp_path,
        Source(name="rss", kind="rss", url=server.add("/rss", rss([item]), gzip=True), tags=["wire"]),
        Source(name="rdf", kind="feed", url=server.add("/rdf", RSS_1_0, content_type="application/rdf+xml")),
        Source(
            name="atom",
            kind="feed",
            url=server.add("/atom", atom([iso]), content_type="application/atom+xml"),
        ),
        Source(
            name="json",
            kind="feed",
            url=server.add("/json", json_feed([iso]), content_type="application/feed+json"),
        ),
    )
    report = ingest(engine, settings, limits=FAST)
    assert report.failed == {} and report.new == 4

    for name in ("rss", "atom", "json"):
        (article,) = stored(engine, name)
        assert (
            article.url == "https://news.example.org/ferry?id=7"
        )  # tracking parameters and fragment dropped
        assert article.canonical_url == article.url
        assert article.published_at == datetime(2026, 11, 27, 9, 15, tzinfo=UTC)
        assert not article.published_guessed
        assert article.body.split("\n\n")[:4] == story_text(1)
        assert "<script" not in article.html and "onclick" not in article.html and "<p>" in article.html
        assert "alert" not in article.body and article.body.endswith("\n\nx")
    assert stored(engine, "rss")[0].image_url == "https://img.example.org/ferry.jpg?w=800"
    assert stored(engine, "json")[0].image_url == "https://img.example.org/ferry.jpg?w=800"
    assert sorted(stored(engine, "rss")[0].tags) == [
        "coast",
        "transport",
        "wire",
    ]  # the feed's and the source's
    assert stored(engine, "atom")[0].byline == "Desk"
    assert any(ua.startswith("digest/") for ua in server.user_agents)
    assert server.gzipped["/rss"] == 1  # asked for compression, got it, decoded it
    (rdf,) = stored(engine, "rdf")
    assert (rdf.title, rdf.url, rdf.body) == (
        "Tide tables",
        "https://rdf.example.org/tides",
        "High water at noon.",
    )


RSS_1_0 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example.org/"><title>RDF</title><link>https://rdf.example.org/</link>
    <description>d</description></channel>
  <item rdf:about="https://rdf.example.org/tides"><title>Tide tables</title><link>https://rdf.example.org/tides</link>
    <description>High water at noon.</description><dc:date>2026-11-27T09:15:00Z</dc:date></item>
</rdf:RDF>"""


def test_duplicate_guids_items_without_link_or_date_and_items_without_anything(tmp_path, server, engine):
    body = story_text(9)
    items = [
        {"title": "First telling", "link": "https://d.example.org/a", "guid": "same", "date": DATE, "content": paragraphs_html(body)},
        {"title": "Second telling", "link": "https://d.example.org/b", "guid": "same", "date": DATE, "content": "<p>Other.</p>"},
        {"title": "No link", "guid": "no-link", "date": DATE, "content": "<p>A story without a link.</p>"},
        {"title": "No date", "link": "https://d.example.org/c", "guid": "no-date", "content": "<p>Undated.</p>"},
        {"title": "Neither link nor guid", "date": DATE, "content": "<p>Anonymous item.</p>"},
        {"date": DATE},
    ]  # fmt: skip
    url = server.add("/odd.xml", rss(items))
    before = datetime.now(UTC)
    report = ingest(engine, settings_of(tmp_path, Source(name="odd", kind="feed", url=url)), limits=FAST)

    rows = {r.title: r for r in stored(engine, "odd")}
    assert sorted(rows) == ["First telling", "Neither link nor guid", "No date", "No link"]
    assert report.duplicates == 1
    assert any(f"{url} item 2: duplicate of {url} item 1" in line for line in report.skipped)
    assert any(f"{url} item 6: item has neither a title nor any text" in line for line in report.skipped)
    assert rows["No link"].url is None and rows["No link"].guid == "no-link"
    undated = rows["No date"]
    assert undated.published_guessed and before <= undated.published_at <= datetime.now(UTC)
    assert not rows["No link"].published_guessed

    again = ingest(engine, settings_of(tmp_path, Source(name="odd", kind="feed", url=url)), limits=FAST)
    assert (again.new, again.updated) == (0, 0) and len(stored(engine, "odd")) == 4
    assert stored(engine, "odd")[2].published_at == undated.published_at  # the guess does not move


def test_a_second_run_is_answered_with_304_and_changes_nothing(tmp_path, server, engine):
    etag_url = server.add("/etag.xml", rss(good_items("e")), etag='"v1"')
    lm_url = server.add("/lm.xml", rss(good_items("m")), last_modified="Fri, 27 Nov 2026 09:00:00 GMT")
    settings = settings_of(
        tmp_path, Source(name="e", kind="feed", url=etag_url), Source(name="m", kind="feed", url=lm_url)
    )
    first = ingest(engine, settings, limits=FAST)
    assert first.new == 6 and server.not_modified == {}

    second = ingest(engine, settings, limits=FAST)
    assert sorted(second.not_modified) == ["e", "m"]
    assert server.not_modified == {"/etag.xml": 1, "/lm.xml": 1}
    assert (second.new, second.updated) == (0, 0)
    assert source_row(engine, "e").item_count == 3 and source_row(engine, "e").etag == '"v1"'

    server.add("/etag.xml", rss(good_items("e", 4)), etag='"v2"')  # the feed changes: read again
    third = ingest(engine, settings, limits=FAST)
    assert third.new == 1 and third.unchanged == 3 and source_row(engine, "e").etag == '"v2"'

    moved = server.add("/moved.xml", rss(good_items("e", 4)), etag='"v2"')  # same validators, another URL
    fourth = ingest(engine, settings_of(tmp_path, Source(name="e", kind="feed", url=moved)), limits=FAST)
    assert (
        fourth.not_modified == []
        and server.hits["/moved.xml"] == 1
        and server.not_modified["/moved.xml"] == 0
    )


def test_a_source_that_keeps_failing_is_left_alone_for_a_while(tmp_path, server, engine):
    server.add("/down", "no", status=500)
    settings = settings_of(tmp_path, Source(name="down", kind="feed", url=server.url("/down")))
    ingest(engine, settings, limits=FAST)
    assert source_row(engine, "down").next_attempt_at is None  # one failure: try again next run
    ingest(engine, settings, limits=FAST)
    row = source_row(engine, "down")
    retry = row.next_attempt_at
    assert row.failures == 2 and timedelta(minutes=11) < retry - datetime.now(UTC) < timedelta(minutes=19)

    third = ingest(engine, settings, limits=FAST)
    assert list(third.deferred) == ["down"] and server.hits["/down"] == 2
    scheduled = ingest(engine, settings, ["down"], force=False, limits=FAST)  # a list's scheduled run
    assert list(scheduled.deferred) == ["down"] and server.hits["/down"] == 2
    forced = ingest(engine, settings, ["down"], limits=FAST)  # named explicitly: tried anyway
    assert "HTTP 500" in forced.failed["down"] and server.hits["/down"] == 3  # a 500 is not retried at once

    server.add("/down", rss(good_items("up")))
    ingest(engine, settings, ["down"], limits=FAST)
    row = source_row(engine, "down")
    assert (row.failures, row.next_attempt_at, row.last_error) == (0, None, None)


def test_a_folder_of_json_and_text_articles(tmp_path, engine):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.json").write_text(
        '{"title": "Tram line opens", "paragraphs": ["The new tram line opened.", "Riders cheered."],'
        ' "url": "https://t.example.org/tram?utm_campaign=x", "published": "2026-11-27T08:00:00Z"}'
    )
    (folder / "b.json").write_text("[1, 2]")
    (folder / "c.txt").write_text("Harbour wall repaired after storm\n\nThe wall was repaired in a week.")
    report = ingest(
        engine, settings_of(tmp_path, Source(name="desk", kind="folder", path="articles")), limits=FAST
    )
    rows = {r.title: r for r in stored(engine, "desk")}
    assert sorted(rows) == ["Harbour wall repaired after storm", "Tram line opens"]
    assert rows["Tram line opens"].canonical_url == "https://t.example.org/tram"
    assert rows["Tram line opens"].published_at == datetime(2026, 11, 27, 8, tzinfo=UTC)
    assert rows["Harbour wall repaired after storm"].published_guessed
    assert any("b.json: a JSON article must be an object" in line for line in report.skipped)


def test_text_a_database_would_refuse_is_cleaned_and_a_failed_store_is_one_source_failure(
    tmp_path, server, engine, monkeypatch
):
    import json

    from sqlalchemy.exc import DataError

    from digest.store import articles as store

    odd = {"version": "https://jsonfeed.org/version/1.1", "title": "odd", "language": "en-GB", "items": [
        {"id": "x" * 3000, "title": "Nul\u0000 in the title", "content_text": "Body\u0000 text.", "url": "https://o.example.org/1"},
    ]}  # fmt: skip
    settings = settings_of(
        tmp_path,
        Source(
            name="odd",
            kind="feed",
            url=server.add("/odd.json", json.dumps(odd), content_type="application/json"),
        ),
        Source(name="good", kind="feed", url=server.add("/good.xml", rss(good_items("good")))),
        Source(name="broken", kind="feed", url=server.add("/broken.xml", rss(good_items("broken")))),
    )
    save = store.save_articles

    def failing_for_broken(conn, source_id, batch, sketches, find_story):
        if batch and batch[0].source == "broken":
            raise DataError("INSERT", {}, Exception("value too long for type character varying(8)"))
        return save(conn, source_id, batch, sketches, find_story)

    monkeypatch.setattr(store, "save_articles", failing_for_broken)
    report = ingest(engine, settings, limits=FAST)

    (article,) = stored(engine, "odd")
    assert (article.title, article.body, article.language) == ("Nul in the title", "Body text.", "en")
    assert article.guid.startswith("sha256:") and len(article.guid) == 71
    assert len(stored(engine, "good")) == 3 and stored(engine, "broken") == []
    assert report.failed == {
        "broken": "its articles could not be stored (value too long for type character varying(8))"
    }
    assert source_row(engine, "broken").last_error == report.failed["broken"]
    assert report.new == 4  # the rolled-back source's articles are not counted


def test_a_changed_date_updates_a_folder_article_and_is_stored_in_utc(tmp_path, engine):
    folder = tmp_path / "articles"
    folder.mkdir()
    article = folder / "a.md"
    text = "---\npublished: {when}\n---\n# Harbour wall repaired after storm\n\nThe wall was repaired in a week.\n"
    settings = settings_of(tmp_path, Source(name="desk", kind="folder", path="articles"))
    article.write_text(text.format(when="2026-11-26T08:30:00Z"))
    assert ingest(engine, settings, limits=FAST).new == 1
    article.write_text(text.format(when="2026-11-20T09:30:00+01:00"))
    assert ingest(engine, settings, limits=FAST).updated == 1
    again = ingest(engine, settings, limits=FAST)
    assert (again.updated, again.unchanged) == (0, 1)  # the same instant, in another zone, is no change
    [row] = stored(engine, "desk")
    assert row.published_at == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
