"""Deduplication: an item seen again updates its article, never duplicates it; the same story from several
sources is linked as one story, so selection can show it once with its other sources."""

from __future__ import annotations

from digest.config import Source
from digest.domain import Coverage
from digest.ingest.dedupe import StoryIndex, sketch
from digest.ingest.run import ingest
from digest.store.articles import other_coverage
from digest.store.db import open_store
from tests.servers.feeds import DATE, FAST, paragraphs_html, rss, settings_of, stored, story_text

pytest_plugins = ["tests.servers.feeds"]


def item(guid: str, title: str, paragraphs: list[str], link: str) -> dict:
    return {"title": title, "link": link, "guid": guid, "date": DATE, "content": paragraphs_html(paragraphs)}


def test_the_same_guid_or_canonical_url_updates_the_article(tmp_path, server, engine):
    text = story_text(20)
    first = [item("g1", "Storm closes the port", text, "https://p.example.org/storm")]
    url = server.add("/feed.xml", rss(first))
    settings = settings_of(tmp_path, Source(name="port", kind="feed", url=url))
    assert ingest(engine, settings, limits=FAST).new == 1

    retitled = [item("g1", "Storm closes the port for two days", text, "https://p.example.org/storm")]
    server.add("/feed.xml", rss(retitled))
    report = ingest(engine, settings, limits=FAST)
    assert (report.new, report.updated) == (0, 1)

    # republished under a new GUID, its link dressed with tracking parameters: still the same article
    reposted = [
        item(
            "g1-repost",
            "Storm closes the port until Friday",
            text,
            "https://p.example.org/storm?utm_source=x#top",
        )
    ]
    server.add("/feed.xml", rss(reposted))
    report = ingest(engine, settings, limits=FAST)
    assert (report.new, report.updated) == (0, 1)
    (article,) = stored(engine, "port")
    assert article.title == "Storm closes the port until Friday" and article.guid == "g1"


def test_syndicated_copies_from_other_sources_are_linked_as_one_story(tmp_path, server, engine):
    original = story_text(30, paragraphs=5)
    copy = [p.replace("council", "city council") for p in original[:4]] + [
        "Reporting by the Example wire service."
    ]
    other = story_text(31, paragraphs=5)
    short = ["Read the full story on the Example site."]
    a = server.add("/a.xml", rss([item("a1", "Floods reach the valley", original, "https://a.example.org/floods"),
                                  item("a2", "Museum reopens", other, "https://a.example.org/museum")]))  # fmt: skip
    b = server.add("/b.xml", rss([item("b1", "Valley floods: what we know", copy, "https://b.example.org/wire/123"),
                                  item("b2", "Unrelated market news", story_text(32), "https://b.example.org/m")]))  # fmt: skip
    c = server.add(
        "/c.xml", rss([item("c1", "Museum reopens", short, "https://a.example.org/museum?utm_medium=x")])
    )
    settings = settings_of(
        tmp_path,
        Source(name="a", kind="feed", url=a),
        Source(name="b", kind="feed", url=b),
        Source(name="c", kind="feed", url=c),
    )
    ingest(engine, settings, ["a"], limits=FAST)  # the original lands first, in a run of its own
    report = ingest(engine, settings, ["b", "c"], limits=FAST)
    assert report.new == 3 and report.linked == 2

    floods, museum = stored(engine, "a")
    wire, market = stored(engine, "b")
    (aggregated,) = stored(engine, "c")
    assert wire.story_id == floods.story_id == floods.id  # near-identical text
    assert aggregated.story_id == museum.story_id == museum.id  # the same canonical URL
    assert market.story_id == market.id
    with engine.connect() as conn:
        coverage = other_coverage(conn, [floods.id, market.id])
    assert coverage == {floods.id: [Coverage("b", "https://b.example.org/wire/123")], market.id: []}


def test_a_process_keeps_its_story_index_and_learns_what_others_stored(tmp_path, server, engine, db_url):
    """A worker reads one source per task: its index of recent stories is kept from task to task and
    brought up to date with the articles stored since, here by another process (another engine)."""
    original, other = story_text(50, paragraphs=5), story_text(51, paragraphs=5)
    copy = [p.replace("council", "city council") for p in original[:4]]
    feeds = {
        "a": [item("a1", "Museum reopens", other, "https://a.example.org/museum")],
        "b": [item("b1", "Floods reach the valley", original, "https://b.example.org/floods")],
        "c": [item("c1", "Valley floods: what we know", copy, "https://c.example.org/wire/9")],
    }
    settings = settings_of(
        tmp_path,
        *(Source(name=n, kind="feed", url=server.add(f"/{n}.xml", rss(i))) for n, i in feeds.items()),
    )
    elsewhere = open_store(db_url)  # the other process
    try:
        ingest(engine, settings, ["a"], limits=FAST)  # this process builds its index
        ingest(elsewhere, settings, ["b"], limits=FAST)  # the original lands in the other process
        assert ingest(engine, settings, ["c"], limits=FAST).linked == 1  # this process saw it all the same
    finally:
        elsewhere.dispose()
    (floods,), (wire,) = stored(engine, "b"), stored(engine, "c")
    assert wire.story_id == floods.story_id == floods.id


def test_only_near_identical_text_from_another_source_joins_a_story():
    index = StoryIndex()
    original = story_text(40)
    index.add(1, 1, source_id=10, signature=sketch("Floods", "\n\n".join(original)))
    edited = original[:-1] + ["A closing paragraph the wire added for its own readers."]
    assert index.story_of(sketch("Floods", "\n\n".join(edited)), source_id=20) == 1
    assert index.story_of(sketch("Floods", "\n\n".join(original)), source_id=10) is None  # same source
    assert (
        index.story_of(sketch("Floods", "\n\n".join(story_text(41))), source_id=20) is None
    )  # same words, other story
    assert sketch("Too short", "A few words only.") is None
