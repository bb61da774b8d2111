"""The store: migrations build exactly the declared tables, and several processes may start at once."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from digest.store.db import open_store
from digest.store.search import outside_metadata
from digest.store.tables import metadata as digest_metadata
from subscribers.tables import metadata as subscribers_metadata


def test_the_migrations_build_exactly_the_declared_tables(blank_db_url):
    engine = open_store(blank_db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": outside_metadata})  # as env.py does
        drift = compare_metadata(context, [subscribers_metadata, digest_metadata])
    engine.dispose()
    assert drift == []


def test_processes_starting_together_on_a_fresh_database_all_start(blank_db_url):
    code = f"from digest.store.db import open_store; open_store({blank_db_url!r}).dispose(); print('started')"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [(p.communicate(timeout=120), p.returncode) for p in procs]
    assert all(code == 0 and out.strip() == "started" for (out, _), code in results), results


def _at(engine, revision: str) -> None:
    from alembic import command

    from digest.store.db import _alembic_config

    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def test_migration_0006_keeps_every_row_and_ids_are_never_handed_out_again(blank_db_url):
    """A database of revision 0005 with a member, an edition and its deliveries: 0006 keeps them all,
    with what points at them; afterwards a deleted id is never given to a new row (SQLite reused it)."""
    from datetime import UTC, datetime

    from sqlalchemy import MetaData, Table, delete, func, insert, select

    from digest.store import tables as st
    from digest.store.db import make_engine, upgrade
    from subscribers import tables as t

    engine = make_engine(blank_db_url)
    _at(engine, "0005")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        subscribers_0005 = Table("subscribers", MetaData(), autoload_with=conn)  # without token_nonce
        lists_0005 = Table("lists", MetaData(), autoload_with=conn)  # without public
        conn.execute(insert(lists_0005).values(id="world", name="W", description="", language="en", double_opt_in=True,
                                            from_address="a@example.org", from_name="A"))
        ids = [
            conn.execute(insert(subscribers_0005).values(email=f"s{i}@example.org", email_key=f"s{i}@example.org",
                                                         attributes={"n": i}, created_at=now)).inserted_primary_key[0]
            for i in (1, 2, 3)
        ]
        conn.execute(insert(t.memberships), [{"subscriber_id": i, "list_id": "world", "status": "confirmed",
                                              "status_changed_at": now, "created_at": now} for i in ids])
        edition = conn.execute(insert(st.editions).values(list_id="world", status="sent", subject="S",
                                                          created_at=now)).inserted_primary_key[0]
        rows = [
            conn.execute(insert(st.deliveries).values(edition_id=edition, subscriber_id=i, email=f"s{n}@example.org",
                                                      status="sent", attempts=1, updated_at=now)).inserted_primary_key[0]
            for n, i in enumerate(ids, 1)
        ]
    assert upgrade(engine)
    with engine.begin() as conn:
        assert conn.execute(select(func.count()).select_from(t.memberships)).scalar_one() == 3
        assert sorted(conn.execute(select(st.deliveries.c.subscriber_id)).scalars()) == ids
        assert conn.execute(select(t.subscribers.c.attributes).where(t.subscribers.c.id == ids[1])).scalar() == {"n": 2}
        assert set(conn.execute(select(t.subscribers.c.token_nonce)).scalars()) == {None}  # links already mailed
        conn.execute(delete(st.deliveries).where(st.deliveries.c.id == rows[-1]))
        conn.execute(delete(t.subscribers).where(t.subscribers.c.id == ids[-1]))
        new_sub = conn.execute(insert(t.subscribers).values(email="n@example.org", email_key="n@example.org",
                                                            attributes={}, created_at=now)).inserted_primary_key[0]
        new_row = conn.execute(insert(st.deliveries).values(edition_id=edition, subscriber_id=new_sub, email="n@x.org",
                                                            status="pending", updated_at=now)).inserted_primary_key[0]
        nonce = conn.execute(select(t.subscribers.c.token_nonce).where(t.subscribers.c.id == new_sub)).scalar()
    engine.dispose()
    assert new_sub > ids[-1] and new_row > rows[-1]  # the deleted ids are not handed out again
    assert nonce and len(nonce) == 12


def test_an_editions_items_keep_every_field_the_mail_shows(db_url):
    """Reading time (words), caption and the lead image are stored with the item and come back."""
    from digest.domain import Brief, Coverage, Edition, Image, Quote
    from digest.lists import sync_lists
    from digest.store.editions import insert_edition, list_editions, load_edition
    from tests.servers.support import make_settings

    engine = open_store(db_url)
    sync_lists(engine, make_settings())
    items = [
        Brief(title="With everything", lede="A lede.", quotes=[Quote("Said", "A. Person", "said")], url="https://e.org/1",
              source="wire", language="en", byline="Jo", caption="The quay. Photo: Jo", words=1234,
              image=Image("https://e.org/1.jpg", "A quay", 1200, 800), also=[Coverage("other", "https://o.org/1")]),
        Brief(title="Bare", lede="Another lede.", source="wire", image=Image("https://e.org/2.jpg")),
        Brief(title="No image", lede="A third lede.", source="wire"),
    ]  # fmt: skip
    with engine.begin() as conn:
        edition_id = insert_edition(conn, Edition("world", "Subject", items))
    with engine.connect() as conn:
        loaded = load_edition(conn, edition_id)
        [listed] = list_editions(conn, "world")
    engine.dispose()
    assert loaded.items == items and listed.items == items
    assert loaded.created_at.tzinfo is not None  # aware, in UTC, on both databases


def test_migration_0008_moves_a_held_send_lease_to_the_leases_table(blank_db_url):
    """A send held at the upgrade stays held by its process (now as the lease "send:<id>"); a send
    without a holder gets none; the send's own state is kept."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import MetaData, Table, insert, select

    from digest.store import tables as st
    from digest.store.db import make_engine, upgrade
    from digest.store.leases import holder_of

    engine = make_engine(blank_db_url)
    _at(engine, "0007")
    now = datetime.now(UTC)
    until = now + timedelta(minutes=10)
    with engine.begin() as conn:
        conn.execute(insert(Table("lists", MetaData(), autoload_with=conn)).values(
            id="world", name="W", description="", language="en", double_opt_in=True, from_address="a@example.org",
            from_name="A", public=False))
        sends_0007 = Table("edition_sends", MetaData(), autoload_with=conn)  # with owner and lease_until
        held, free = (
            conn.execute(insert(st.editions).values(list_id="world", status="sending", subject=s, created_at=now))
            .inserted_primary_key[0] for s in ("held", "free")
        )  # fmt: skip
        conn.execute(insert(sends_0007), [
            {"edition_id": held, "state": "running", "started_at": now, "owner": "host:42", "lease_until": until,
             "interrupted": 3},
            {"edition_id": free, "state": "paused", "started_at": now, "owner": None, "lease_until": None,
             "interrupted": 0},
        ])  # fmt: skip
    assert upgrade(engine)
    with engine.connect() as conn:
        lease = holder_of(conn, f"send:{held}")
        assert holder_of(conn, f"send:{free}") is None
        states = dict(conn.execute(select(st.edition_sends.c.edition_id, st.edition_sends.c.state)).all())
        kept = conn.execute(select(st.edition_sends.c.interrupted).where(st.edition_sends.c.edition_id == held)).scalar()
    engine.dispose()
    assert lease.holder == "host:42" and abs((lease.expires_at - until).total_seconds()) < 1
    assert states == {held: "running", free: "paused"} and kept == 3


def test_of_two_transactions_inserting_one_key_at_once_only_the_first_inserts(db_url):
    """What a run's slot, a provider event and a lease rely on: the second waits for the first and
    is told it inserted nothing (no error, nothing inserted twice)."""
    import threading
    import time
    from datetime import UTC, datetime

    from sqlalchemy import func, select

    from digest.store.db import insert_new
    from digest.store.tables import leases

    engine = open_store(db_url)
    row = {"name": "scheduler", "holder": "first", "expires_at": datetime.now(UTC)}
    second: list[bool] = []
    with engine.begin() as conn:
        assert insert_new(conn, leases, row)
        thread = threading.Thread(target=lambda: second.append(_insert_in_own_transaction(engine, row)))
        thread.start()
        time.sleep(0.5)  # the second insert is waiting for this transaction
        assert second == []
    thread.join(timeout=30)
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(leases)).scalar_one()
    engine.dispose()
    assert second == [False] and rows == 1


def _insert_in_own_transaction(engine, row) -> bool:
    from digest.store.db import insert_new
    from digest.store.tables import leases

    with engine.begin() as conn:
        return insert_new(conn, leases, {**row, "holder": "second"})


def test_insert_missing_inserts_what_is_new_and_names_it(db_url):
    """A batch of rows, some already stored, one twice in the batch: each key is inserted once and
    the call names exactly the keys it inserted (RETURNING), on SQLite and PostgreSQL alike."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from digest.store.db import insert_missing
    from digest.store.tables import delivery_events

    engine = open_store(db_url)
    at = datetime.now(UTC)

    def row(n: int, kind: str = "delivered") -> dict:
        return {"event_id": f"e{n:04d}", "provider": "sendgrid", "event": kind, "edition_id": None,
                "delivery_id": None, "reason": None, "at": at, "item_id": n, "url": None, "machine": n % 2 == 0}  # fmt: skip

    key = delivery_events.c.event_id
    with engine.begin() as conn:
        assert insert_missing(conn, delivery_events, [row(n) for n in range(0, 600, 2)], key) == [
            f"e{n:04d}" for n in range(0, 600, 2)
        ]
    with engine.begin() as conn:
        batch = [row(n, "opened") for n in range(1000)] + [row(5, "clicked")]
        new = insert_missing(conn, delivery_events, batch, key)
    with engine.connect() as conn:
        stored = {r.event_id: (r.event, r.item_id, r.machine) for r in conn.execute(select(delivery_events))}
    engine.dispose()
    assert sorted(new) == [f"e{n:04d}" for n in range(1000) if n % 2 or n >= 600]
    assert len(stored) == 1000 and stored["e0002"] == ("delivered", 2, True)  # stored before: kept as it was
    assert stored["e0005"] == ("opened", 5, False) and stored["e0700"] == ("opened", 700, True)
