"""Editors shape an edition: every change is recorded, survives a rebuild, and the lifecycle holds."""

from __future__ import annotations

import pytest

from digest import config
from digest.editions import service
from digest.editions.lifecycle import LifecycleError
from digest.errors import DigestError
from digest.ingest.run import ingest
from digest.lists import sync_lists
from digest.store.db import open_store
from digest.store.editions import changes, load_edition
from tests.conftest import write_config


@pytest.fixture
def newsroom(instance, db_url):
    """The demo instance with lists of at most 4 items; articles ingested."""
    cfg = config.load(write_config(instance, database_url=db_url))
    lists = [dict(cfg.get_list("world").model_dump(mode="json"), max_items=4)]
    settings = config.load(write_config(instance, lists=lists))
    engine = open_store(settings.db_url)
    sync_lists(engine, settings)
    ingest(engine, settings)
    yield settings, engine, instance
    engine.dispose()


def ids(edition) -> list[int]:
    return [item.article_id for item in edition.items]


def test_curation_is_recorded_and_survives_a_rebuild(newsroom):
    settings, engine, instance = newsroom
    edition = service.build(engine, settings, "world", actor="ana").edition
    first = ids(edition)
    assert len(first) == 4 and edition.status == "draft"
    assert edition.subject == f"The World This Week: {edition.items[0].title}"

    with engine.connect() as conn:
        from sqlalchemy import select

        from digest.store.tables import articles

        outside = [a for a in conn.execute(select(articles.c.id)).scalars() if a not in first][0]
    service.change(engine, settings, edition.id, "ana", "pin", article_id=outside)
    service.change(engine, settings, edition.id, "ana", "exclude", article_id=first[0])
    service.change(engine, settings, edition.id, "ben", "move", article_id=first[2], position=1)
    service.change(
        engine, settings, edition.id, "ben", "lede", article_id=first[1], text="A lede written by hand."
    )
    service.change(engine, settings, edition.id, "ben", "quote", article_id=first[2], index=None)
    service.change(engine, settings, edition.id, "ana", "subject", text="Our pick of the week")
    edited = service.change(engine, settings, edition.id, "ana", "intro", text="Hello from the desk.")

    assert ids(edited)[0] == first[2] and outside in ids(edited) and first[0] not in ids(edited)
    assert len(edited.items) == 4  # the pin took the excluded item's place
    assert next(i for i in edited.items if i.article_id == first[1]).lede == "A lede written by hand."
    assert next(i for i in edited.items if i.article_id == first[2]).quotes == []
    assert (edited.subject, edited.intro) == ("Our pick of the week", "Hello from the desk.")

    (instance / "samples" / "articles" / "zz-late.md").write_text(
        "---\nurl: https://news.example.org/late\npublished: 2030-01-01T00:00:00Z\n---\n"
        "# A late story that arrives after the editors started\n\n"
        "This story was published after the draft was first built and is the newest of all the articles here.\n"
    )
    ingest(engine, settings)
    rebuilt = service.build(engine, settings, "world", actor="scheduler")
    assert "rebuilt" in rebuilt.reason
    with engine.connect() as conn:
        again = load_edition(conn, edition.id)
        log = changes(conn, edition.id)
    assert again.subject == "Our pick of the week" and again.intro == "Hello from the desk."
    assert ids(again)[0] == first[2] and outside in ids(again) and first[0] not in ids(again)
    assert next(i for i in again.items if i.article_id == first[1]).lede == "A lede written by hand."
    assert "A late story that arrives after the editors started" in [i.title for i in again.items]
    assert [(c.actor, c.op) for c in log] == [
        ("ana", "build"),
        ("ana", "pin"),
        ("ana", "exclude"),
        ("ben", "move"),
        ("ben", "lede"),
        ("ben", "quote"),
        ("ana", "subject"),
        ("ana", "intro"),
        ("scheduler", "rebuild"),
    ]
    assert all(c.at is not None for c in log)


def test_lifecycle_refuses_what_it_must(newsroom):
    settings, engine, _ = newsroom
    edition = service.build(engine, settings, "world", actor="ana").edition
    with pytest.raises(LifecycleError, match="it can become approved, canceled, not sent"):
        service.transition(engine, edition.id, "sent", actor="ana")
    approved = service.transition(engine, edition.id, "approved", actor="ana")
    assert approved.status == "approved"
    # an edit after approval needs a new approval
    edited = service.change(engine, settings, edition.id, "ben", "subject", text="Changed after approval")
    assert edited.status == "draft"
    with pytest.raises(DigestError, match="is not in this edition"):
        service.change(engine, settings, edition.id, "ben", "exclude", article_id=99999)
    with pytest.raises(DigestError, match="position 9 is outside 1..4"):
        service.change(engine, settings, edition.id, "ben", "move", article_id=ids(edited)[0], position=9)
    service.transition(engine, edition.id, "canceled", actor="ana")
    with pytest.raises(LifecycleError, match="can no longer be edited"):
        service.change(engine, settings, edition.id, "ben", "subject", text="too late")
    # a canceled edition gives its articles back to the next one
    assert set(ids(service.build(engine, settings, "world", actor="ana").edition)) == set(ids(edited))
