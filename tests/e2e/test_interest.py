"""What readers want weighs selection, through the installed `digest`: an edition is sent, its
readers click one source's stories, and the next edition, built by `digest editions build` in a
subprocess, favours that source once the list says `selection: {learn: true}`; with learn off (the
default) the clicks change nothing."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, insert, select

from digest.store.tables import deliveries, delivery_events, edition_items
from tests.e2e.conftest import Program

WORDS = ("harbour council river vote budget school rail bridge museum forest market court energy water "
         "festival hospital transit library farm port tower theatre mayor grant storm coast valley").split()  # fmt: skip


def _articles(program: Program, source: str, hours: list[int]) -> None:
    """Articles of `source` in a folder of its own, published `hours` ago, each text its own."""
    folder = program.root / source
    folder.mkdir()
    now = datetime.now(UTC)
    for n, ago in enumerate(hours):
        pick = random.Random(f"{source}-{n}")
        paragraphs = [" ".join(pick.choice(WORDS) for _ in range(40)).capitalize() + "." for _ in range(4)]
        published = (now - timedelta(hours=ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
        (folder / f"{source}-{n}.md").write_text(
            f"---\nurl: https://{source}.example.org/{n}\npublished: {published}\nlanguage: en\n---\n"
            f"# {source.title()} story {n}: the {pick.choice(WORDS)} of {pick.choice(WORDS)}\n\n"
            + "\n\n".join(paragraphs) + "\n"
        )


def _build(program: Program) -> tuple[int, list[str]]:
    """`digest editions build world`: the draft's id and its stories' sources, in order."""
    built = program.run("editions", "build", "world").stdout
    found = re.search(r"#(\d+)", built)
    assert found, built
    edition_id = int(found.group(1))
    rows = program.query("SELECT source FROM edition_items WHERE edition_id = :e ORDER BY position", e=edition_id)
    return edition_id, [r.source for r in rows]


def _learn(program: Program, learn: bool) -> None:
    world = next(lst for lst in program.config()["lists"] if lst["id"] == "world")
    program.configure(lists=[{**world, "selection": {"learn": learn}}])


def _readers_click(program: Program, edition_id: int, source: str, readers: int) -> int:
    """`readers` readers of the edition each click every story of `source` once (as the click
    redirect records them), and a link scanner clicks every other story for each of them."""
    engine = create_engine(program.db_url)
    at = datetime.now(UTC)
    with engine.begin() as conn:
        items = conn.execute(select(edition_items.c.id, edition_items.c.source)
                             .where(edition_items.c.edition_id == edition_id)).all()  # fmt: skip
        sent = conn.execute(select(deliveries.c.id).where(deliveries.c.edition_id == edition_id,
                                                          deliveries.c.status == "sent")).scalars().all()  # fmt: skip
        rows = [{"event_id": f"click-{item}-{d}", "provider": "digest", "event": "clicked", "edition_id": edition_id,
                 "delivery_id": d, "item_id": item, "machine": src != source, "at": at}
                for item, src in items for d in sent[:readers]]  # fmt: skip
        conn.execute(insert(delivery_events), rows)
    engine.dispose()
    return len(sent)


def test_with_learn_on_the_next_edition_favours_the_source_readers_click(program: Program):
    # beta's stories are each an hour newer than alpha's: on recency alone the two alternate
    _articles(program, "alpha", [2, 4, 6, 8, 10, 12])
    _articles(program, "beta", [1, 3, 5, 7, 9, 11])
    world = next(lst for lst in program.config()["lists"] if lst["id"] == "world")
    program.configure(
        sources=[{"name": "alpha", "kind": "folder", "path": "alpha", "tags": ["science"]},
                 {"name": "beta", "kind": "folder", "path": "beta", "tags": ["politics"]}],
        lists=[{**world, "sources": ["alpha", "beta"], "max_items": 4, "images": False}],
    )  # fmt: skip
    program.add_members([f"reader{i}@example.net" for i in range(20)])
    program.run("ingest")
    first, carried = _build(program)
    assert sorted(carried) == ["alpha", "alpha", "beta", "beta"]
    program.run("editions", "approve", str(first))
    program.run("send", str(first))

    second, before = _build(program)  # the next edition, before any click
    assert before == ["beta", "alpha", "beta", "alpha"]
    assert _readers_click(program, first, "alpha", readers=15) == 20

    assert _build(program) == (second, before)  # learn is off by default: the clicks change nothing
    _learn(program, True)
    assert _build(program) == (second, ["alpha"] * 4)  # readers clicked alpha: it leads
    _learn(program, False)
    assert _build(program) == (second, before)
