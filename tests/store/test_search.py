"""Full-text search over the stored articles, on SQLite (FTS5) and PostgreSQL (tsvector), through
the one store function: every word must appear (or a word it starts), title matches rank first, the
index follows inserts, updates and deletes, and no query text can break the query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, update

from digest.domain import Article
from digest.store.articles import save_articles
from digest.store.search import search_articles
from digest.store.sources import ensure_source
from digest.store.tables import articles

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _article(guid: str, title: str, body: str, days: int = 0) -> Article:
    return Article(title, body.split("\n\n"), guid=guid, published_at=NOW - timedelta(days=days))


@pytest.fixture
def stored(engine):
    with engine.begin() as conn:
        wire = ensure_source(conn, "wire", "feed", "https://wire.example/feed")
        local = ensure_source(conn, "local", "feed", "https://local.example/feed")
        save_articles(conn, wire, [
            _article("a", "Harbour town votes for a wind farm", "The council voted on Monday.", days=3),
            _article("b", "Night buses reach the airport", "Lisbon said the new wind of tourism\n\nneeds buses.", days=1),
            _article("c", "Glacier stations double", "Alpine glaciers lose ice; scientists add stations.", days=2),
        ])  # fmt: skip
        save_articles(conn, local, [_article("d", "Wind turbines at the harbour", "Local people cheered.", days=0)])
    return engine


def titles(engine, query: str, sources: list[str] | None = None, limit: int = 10) -> list[str]:
    with engine.connect() as conn:
        return [a.title for a in search_articles(conn, query, sources, limit)]


def test_every_word_must_appear_and_title_matches_come_first(stored):
    assert titles(stored, "wind") == [
        "Wind turbines at the harbour",  # in the title, and the newest of those
        "Harbour town votes for a wind farm",
        "Night buses reach the airport",  # only in the text
    ]
    assert titles(stored, "wind harbour") == ["Wind turbines at the harbour", "Harbour town votes for a wind farm"]
    assert titles(stored, "WIND Farm") == ["Harbour town votes for a wind farm"]  # case aside
    assert titles(stored, "glac") == ["Glacier stations double"]  # the start of a word
    assert titles(stored, "lacier") == []  # not the middle of one
    assert titles(stored, "wind glacier") == []


def test_sources_and_limit(stored):
    assert titles(stored, "wind", ["wire"]) == ["Harbour town votes for a wind farm", "Night buses reach the airport"]
    assert titles(stored, "wind", []) == []
    assert len(titles(stored, "wind", limit=1)) == 1


def test_the_index_follows_updates_and_deletes(stored):
    with stored.begin() as conn:
        conn.execute(update(articles).where(articles.c.guid == "c").values(body="Now about a wind tunnel."))
        conn.execute(delete(articles).where(articles.c.guid == "d"))
    assert titles(stored, "glaciers") == []
    assert titles(stored, "tunnel") == ["Glacier stations double"]
    assert "Wind turbines at the harbour" not in titles(stored, "wind")


@pytest.mark.parametrize(
    "query", ['"', "wind*", "wind:*", "a & b | !c", "NEAR(wind farm)", "wind OR x", "o'clock", "(", "-", "' OR 1=1 --"]
)
def test_no_query_text_breaks_the_query(stored, query):
    titles(stored, query)  # no error: the words are taken, the syntax left out


def test_articles_stored_before_the_migration_are_found(blank_db_url):
    from sqlalchemy import MetaData, Table, insert

    from digest.store.db import make_engine, upgrade
    from tests.store.test_store import _at

    engine = make_engine(blank_db_url)
    _at(engine, "0010")
    with engine.begin() as conn:
        sources = Table("sources", MetaData(), autoload_with=conn)  # as they were then (0015 adds columns)
        source = conn.execute(insert(sources).values(name="wire", kind="feed", location="https://wire.example/feed",
                                                     failures=0, item_count=0).returning(sources.c.id)).scalar_one()  # fmt: skip
        old = Table("articles", MetaData(), autoload_with=conn)
        conn.execute(insert(old).values(source_id=source, guid="x", title="An old story about ferries", body="Boats.",
                                        fetched_at=NOW, content_hash="h", published_guessed=False))  # fmt: skip
    assert upgrade(engine)
    assert titles(engine, "ferries") == ["An old story about ferries"]
    assert titles(engine, "boats") == ["An old story about ferries"]
    engine.dispose()
