"""Editors shape an edition: every change is recorded, survives a rebuild, and the lifecycle holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from digest import config
from digest.domain import Actor
from digest.editions import service
from digest.errors import Conflict, DigestError
from digest.ingest.run import ingest
from digest.lists import sync_lists
from digest.render import render_edition
from digest.store.db import open_store
from digest.store.editions import changes, load_edition, set_edition_status
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
    edition = service.build(engine, settings, "world", actor=Actor.named("ana")).edition
    first = ids(edition)
    assert len(first) == 4 and edition.status == "draft"
    top = edition.subject.removeprefix("The World This Week: ")  # the top headline, shortened to fit
    assert top != edition.subject and edition.items[0].title.startswith(top.removesuffix("…"))

    with engine.connect() as conn:
        from sqlalchemy import select

        from digest.store.tables import articles

        outside = [a for a in conn.execute(select(articles.c.id)).scalars() if a not in first][0]
    service.change(engine, settings, edition.id, Actor.named("ana"), "pin", article_id=outside)
    service.change(engine, settings, edition.id, Actor.named("ana"), "exclude", article_id=first[0])
    service.change(engine, settings, edition.id, Actor.named("ben"), "move", article_id=first[2], position=1)
    service.change(
        engine, settings, edition.id, Actor.named("ben"), "lede", article_id=first[1], text="A lede written by hand."
    )
    service.change(engine, settings, edition.id, Actor.named("ben"), "quote", article_id=first[2], index=None)
    service.change(engine, settings, edition.id, Actor.named("ana"), "subject", text="Our pick of the week")
    edited = service.change(engine, settings, edition.id, Actor.named("ana"), "intro", text="Hello from the desk.")

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
    rebuilt = service.build(engine, settings, "world", actor=Actor.named("scheduler"))
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
    edition = service.build(engine, settings, "world", actor=Actor.named("ana")).edition
    with pytest.raises(Conflict, match="it can become approved, canceled, not sent"):
        service.transition(engine, edition.id, "sent", actor=Actor.named("ana"))
    approved = service.transition(engine, edition.id, "approved", actor=Actor.named("ana"))
    assert approved.status == "approved"
    # an edit after approval needs a new approval
    edited = service.change(engine, settings, edition.id, Actor.named("ben"), "subject", text="Changed after approval")
    assert edited.status == "draft"
    with pytest.raises(DigestError, match="is not in this edition"):
        service.change(engine, settings, edition.id, Actor.named("ben"), "exclude", article_id=99999)
    with pytest.raises(DigestError, match="position 9 is outside 1..4"):
        service.change(engine, settings, edition.id, Actor.named("ben"), "move", article_id=ids(edited)[0], position=9)
    service.transition(engine, edition.id, "canceled", actor=Actor.named("ana"))
    with pytest.raises(Conflict, match="can no longer be edited"):
        service.change(engine, settings, edition.id, Actor.named("ben"), "subject", text="too late")
    # a canceled edition gives its articles back to the next one
    assert set(ids(service.build(engine, settings, "world", actor=Actor.named("ana")).edition)) == set(ids(edited))



def test_changes_naming_what_does_not_exist_are_refused_and_none_is_recorded(newsroom):
    settings, engine, _ = newsroom
    edition = service.build(engine, settings, "world", actor=Actor.named("ana")).edition
    first = ids(edition)[0]
    with pytest.raises(DigestError, match="no article #99999"):
        service.change(engine, settings, edition.id, Actor.named("ana"), "pin", article_id=99999)
    with pytest.raises(DigestError, match=f"article #{first} has no quotation 40"):
        service.change(engine, settings, edition.id, Actor.named("ana"), "quote", article_id=first, index=40)
    with pytest.raises(DigestError, match="has no quotation"):  # all or none: the subject is not kept
        service.apply(engine, settings, edition.id, Actor.named("ana"), [("subject", {"text": "New"}), ("quote", {"article_id": first, "index": 40})])
    with engine.connect() as conn:
        assert [c.op for c in changes(conn, edition.id)] == ["build"]
        assert load_edition(conn, edition.id).subject == edition.subject
    kept = service.change(engine, settings, edition.id, Actor.named("ana"), "quote", article_id=first, index=0)
    assert kept.items[0].quotes  # the first quotation exists


def test_build_says_which_articles_it_left_out_and_why(newsroom):
    settings, engine, instance = newsroom  # lists of at most 4 items
    built = service.build(engine, settings, "world", actor=Actor.named("ana"))
    assert "beyond the list's 4 items" in built.reason
    service.transition(engine, built.edition.id, "approved", actor=Actor.named("ana"))
    with engine.begin() as conn:
        set_edition_status(conn, built.edition.id, "sent")
    published = (datetime.now(UTC) - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (instance / "samples" / "articles" / "zz-found-late.md").write_text(
        f"---\npublished: {published}\n---\n# A ferry line reopens\n\nThe ferry runs again from Monday.\n"
    )
    ingest(engine, settings)
    again = service.build(engine, settings, "world", actor=Actor.named("ana"))
    assert again.edition is None
    assert "1 ingested since the last send" in again.reason and "(a day before that send)" in again.reason
    assert "already in an edition of the list" in again.reason

STORY = (
    "The regional parliament voted on Thursday to double the budget for night trains, after a year in "
    "which passenger numbers on the sleeper lines rose by more than half and several routes sold out "
    "weeks in advance. The transport minister said the money would pay for twelve new sleeping cars, "
    "longer platforms at four stations and a booking system shared with the neighbouring railways. "
    "Opposition members backed the plan but asked for cheaper couchettes for families."
)


def test_a_story_from_three_sources_is_one_item_also_covered_by_the_two_others(instance, db_url):
    folders = {}
    for n, name in enumerate(("wire-a", "wire-b", "wire-c")):
        folder = instance / name
        folder.mkdir()
        edits = STORY.replace("Thursday", ["Thursday", "Thursday evening", "Thursday"][n])
        (folder / "night-trains.md").write_text(
            f"---\nurl: https://{name}.example.org/night-trains\npublished: 2026-11-2{n + 5}T08:00:00Z\n---\n"
            f"# {['Night trains get double budget', 'Budget for night trains doubled', 'Night trains: budget doubled'][n]}"
            f"\n\n{edits}\n"
        )
        folders[name] = folder
    (folders["wire-b"] / "other.md").write_text(
        "---\nurl: https://wire-b.example.org/harbour\npublished: 2026-11-26T09:00:00Z\n---\n"
        "# A harbour reopens after the storm\n\nThe harbour of the old town reopened on Friday, two weeks after "
        "the storm that sank three fishing boats and tore the pier apart, the port authority said.\n"
    )
    sources = [{"name": name, "kind": "folder", "path": name} for name in folders]
    cfg = config.load(write_config(instance, database_url=db_url))
    world = dict(cfg.get_list("world").model_dump(mode="json"), sources=list(folders))
    settings = config.load(write_config(instance, sources=sources, lists=[world]))
    engine = open_store(settings.db_url)
    sync_lists(engine, settings)
    ingest(engine, settings)

    edition = service.build(engine, settings, "world", actor=Actor.named("test")).edition
    titles = [item.title for item in edition.items]
    assert len(edition.items) == 2, titles  # the story once, and the harbour
    story = next(item for item in edition.items if "ight train" in item.title)
    assert story.source == "wire-c"  # the newest copy leads (equal weights)
    assert sorted(c.source for c in story.also) == ["wire-a", "wire-b"]
    assert all(c.url and c.url.endswith("/night-trains") for c in story.also)

    with engine.connect() as conn:  # stored with the edition, and shown in the mail
        stored = load_edition(conn, edition.id)
    assert stored.items == edition.items
    message = render_edition(stored, settings.get_list("world"), settings.template_folders(settings.get_list("world")))
    assert "https://wire-a.example.org/night-trains" in message.html
    assert "wire-b" in message.text and "https://wire-b.example.org/night-trains" in message.text
    engine.dispose()


def test_an_item_carries_its_articles_length_caption_and_lead_image():
    """What the mail shows of an article (its reading time, its picture and caption) is in its item."""
    from digest.domain import Article, Image
    from digest.editions.curate import Plan, compose

    lst = config.ListSettings(id="world", name="W", from_address="a@example.org", from_name="A")
    body = [STORY, "The minister said the first new cars would run next winter, on the line to the coast."]
    article = Article(title="Night trains return", paragraphs=body, source="wire", url="https://w.example.org/1",
                      caption="A sleeper at dawn. Photo: Jo", image=Image("https://w.example.org/1.jpg", "A sleeper car",
                      1600, 900), id=7)  # fmt: skip
    [item] = compose([article], {}, Plan(), lst, {})
    assert item.words == len(" ".join(body).split()) == 93
    assert (item.image, item.caption) == (article.image, "A sleeper at dawn. Photo: Jo")


def test_a_long_top_headline_is_shortened_at_a_word_so_the_default_subject_passes_the_checks():
    from digest.config import ListSettings
    from digest.domain import Brief, Edition
    from digest.editions.checks import SUBJECT_MAX

    lst = ListSettings(id="world", name="The World This Week", language="en", from_address="d@example.org", from_name="D",
                       postal_address="1 Example Street, Paris")  # fmt: skip
    headline = "Offshore wind farm opens in the harbour after a decade of planning, protests and court cases"
    long = Edition(list_id="world", subject="", items=[Brief(headline, "A lede.")])
    subject = service.default_subject(lst, long, datetime(2026, 12, 2, tzinfo=UTC))
    assert len(subject) <= SUBJECT_MAX and subject.endswith("…")
    assert subject.startswith("The World This Week: Offshore wind farm opens in the harbour")
    assert subject[:-1] in f"The World This Week: {headline}" and subject[-2] != " "  # cut between words
    short = Edition(list_id="world", subject="", items=[Brief("Wind farm opens", "A lede.")])
    assert service.default_subject(lst, short, datetime(2026, 12, 2, tzinfo=UTC)) == "The World This Week: Wind farm opens"
