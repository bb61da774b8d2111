"""Claiming an edition's rows in batches (execution: celery): each task is told where its batch starts,
claims those rows and no other task's, and a short batch still finds the rows left elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update

from digest.domain import Delivery
from digest.store.db import open_store
from digest.store.deliveries import batch_starts, claim_batch, insert_deliveries, more_after, reclaim_lapsed
from digest.store.tables import deliveries
from tests.servers.support import add_edition, make_settings


def later() -> datetime:
    """A claim's lease that has not lapsed: made when the claim is, since a module-wide constant
    lapses once a long suite has run for 15 minutes."""
    return datetime.now(UTC) + timedelta(minutes=15)


def edition_of(db_url: str, n: int) -> tuple[Engine, int, list[int]]:
    engine = open_store(db_url)
    edition_id = add_edition(engine, make_settings())
    with engine.begin() as conn:
        insert_deliveries(
            conn, edition_id, [Delivery(edition_id, None, f"r{i}@example.net") for i in range(n)]
        )
        ids = list(conn.execute(select(deliveries.c.id).order_by(deliveries.c.id)).scalars())
    return engine, edition_id, ids


def test_each_batch_starts_where_the_last_ended_and_a_task_claims_its_own_rows(db_url):
    engine, edition_id, ids = edition_of(db_url, 25)
    with engine.begin() as conn:
        starts = batch_starts(conn, edition_id, 10)
        assert starts == [ids[0], ids[10], ids[20]]
        second = claim_batch(conn, edition_id, 10, "w1", later(), start=starts[1])
        assert [r.delivery.id for r in second] == ids[10:20]
        assert more_after(conn, edition_id, ids[19])  # the third batch waits
        third = claim_batch(conn, edition_id, 10, "w2", later(), start=starts[2])
        assert [r.delivery.id for r in third] == ids[0:5] + ids[20:25]  # short: it takes rows from before
        assert not more_after(conn, edition_id, ids[24])
        assert batch_starts(conn, edition_id, 10) == [ids[5]]  # what is left, for a send that stalled
    engine.dispose()


def test_a_lapsed_claim_is_taken_back_and_claimed_again(db_url):
    engine, edition_id, ids = edition_of(db_url, 5)
    with engine.begin() as conn:
        claim_batch(conn, edition_id, 5, "dead", later())
        conn.execute(update(deliveries).values(claimed_until=datetime.now(UTC) - timedelta(seconds=1)))
        assert batch_starts(conn, edition_id, 10) == [ids[0]]
        assert claim_batch(conn, edition_id, 10, "w1", later()) == []  # still 'sending' under the dead claim
        assert reclaim_lapsed(conn, edition_id) == 5
        again = claim_batch(conn, edition_id, 10, "w1", later())
        assert [r.delivery.id for r in again] == ids
    engine.dispose()
