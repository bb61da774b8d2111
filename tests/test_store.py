"""The store: migrations build exactly the declared tables, and several processes may start at once."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from digest.store.db import open_store
from digest.store.tables import metadata as digest_metadata
from subscribers.tables import metadata as subscribers_metadata


def test_the_migrations_build_exactly_the_declared_tables(db_url):
    engine = open_store(db_url)
    with engine.connect() as conn:
        drift = compare_metadata(MigrationContext.configure(conn), [subscribers_metadata, digest_metadata])
    engine.dispose()
    assert drift == []


def test_processes_starting_together_on_a_fresh_database_all_start(db_url):
    code = f"from digest.store.db import open_store; open_store({db_url!r}).dispose(); print('started')"
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


def test_migration_0006_keeps_every_row_and_ids_are_never_handed_out_again(db_url):
    """A database of revision 0005 with a member, an edition and its deliveries: 0006 keeps them all,
    with what points at them; afterwards a deleted id is never given to a new row (SQLite reused it)."""
    from datetime import UTC, datetime

    from sqlalchemy import MetaData, Table, delete, func, insert, select

    from digest.store import tables as st
    from digest.store.db import make_engine, upgrade
    from subscribers import tables as t

    engine = make_engine(db_url)
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
