"""What readers want (digest.editions.interest): the rule that turns click-through into a source's
weight (bounded, smoothed, no source starved), and the figures it reads: humans' clicks only, over
the list's sent editions only. Through the program: tests/e2e/test_interest.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select, update

from digest.domain import Brief, Delivery, Edition
from digest.editions.interest import HIGHEST, LOWEST, learned_factor, list_interest
from digest.store.deliveries import insert_deliveries
from digest.store.editions import insert_edition
from digest.store.tables import deliveries, delivery_events, edition_items
from subscribers import tables as sub
from tests.servers.support import add_subscribers, make_settings


def test_the_factor_is_bounded_both_ways():
    assert learned_factor(10_000, 1_000, 0.01) == HIGHEST == 2.0  # ten times the average: doubled, no more
    assert learned_factor(0, 100_000, 0.05) == LOWEST == 0.5  # never clicked in 5,000 expected clicks: halved
    assert learned_factor(200, 1_000, 0.1) == pytest.approx((200 + 20) / (100 + 20))  # in between: not clamped


def test_a_source_with_few_deliveries_stays_near_the_average():
    # 3 deliveries, no click, at a 10% average: 0.3 clicks expected, too few to say anything
    assert learned_factor(0, 3, 0.1) == pytest.approx(20 / 20.3) and learned_factor(0, 3, 0.1) > 0.98
    # the same rate on a long record moves the factor far; the shrinkage fades as evidence grows
    assert learned_factor(1, 10, 0.05) < 1.05 and learned_factor(100, 1_000, 0.05) > 1.5
    assert learned_factor(0, 0, 0.1) == 1.0  # never carried: nothing learnt


def test_no_source_is_starved_and_more_clicks_never_weigh_less():
    for sent in (0, 1, 10, 1_000, 10**6):
        for average in (0.0, 0.001, 0.05, 0.5):
            factors = [learned_factor(clicks, sent, average) for clicks in (0, 1, 5, 50, 500, 5_000)]
            assert all(LOWEST <= f <= HIGHEST for f in factors)
            assert factors == sorted(factors)
    assert learned_factor(0, 0, 0.0) == learned_factor(0, 500, 0.0) == 1.0  # no clicks at all: no change


def _edition(engine, status: str, items: list[tuple[str, str]]) -> tuple[int, list[int]]:
    edition = Edition(list_id="world", subject="s", status=status,
                      items=[Brief(title=t, lede="l", source=s) for t, s in items])  # fmt: skip
    with engine.begin() as conn:
        edition_id = insert_edition(conn, edition)
        ids = list(conn.execute(select(edition_items.c.id).where(edition_items.c.edition_id == edition_id)
                                .order_by(edition_items.c.position)).scalars())  # fmt: skip
    return edition_id, ids


def _deliver(engine, edition_id: int, failed: int = 0) -> list[int]:
    with engine.begin() as conn:
        people = conn.execute(select(sub.subscribers.c.id, sub.subscribers.c.email)).all()
        insert_deliveries(conn, edition_id, [Delivery(edition_id, sid, email) for sid, email in people])
        conn.execute(update(deliveries).where(deliveries.c.edition_id == edition_id).values(status="sent"))
        ids = list(conn.execute(select(deliveries.c.id).where(deliveries.c.edition_id == edition_id)).scalars())
        conn.execute(update(deliveries).where(deliveries.c.id.in_(ids[:failed])).values(status="failed"))
    return ids


def _clicks(engine, edition_id: int, item_id: int, delivery_ids: list[int], machine: bool = False) -> None:
    at = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(insert(delivery_events), [
            {"event_id": f"c-{edition_id}-{item_id}-{d}-{machine}", "provider": "digest", "event": "clicked",
             "edition_id": edition_id, "delivery_id": d, "item_id": item_id, "machine": machine, "at": at}
            for d in delivery_ids
        ])  # fmt: skip


def test_click_through_counts_humans_over_the_deliveries_of_sent_editions(engine):
    settings = make_settings()
    add_subscribers(engine, 20)
    first, (a1, b1) = _edition(engine, "sent", [("A one", "alpha"), ("B one", "beta")])
    second, (a2,) = _edition(engine, "sent", [("A two", "alpha")])
    draft, (b3,) = _edition(engine, "draft", [("B three", "beta")])
    sent_first = _deliver(engine, first, failed=4)  # 16 went out: bounced rows do not count
    sent_second = _deliver(engine, second)
    _clicks(engine, first, a1, sent_first[4:12])  # 8 readers clicked alpha's story
    _clicks(engine, second, a2, sent_second[:2])
    _clicks(engine, first, b1, sent_first[4:6])
    _clicks(engine, first, b1, sent_first[6:20], machine=True)  # a scanner's: not readers
    _clicks(engine, draft, b3, sent_first[4:8])  # a draft's (a test send): not an edition readers got

    shown = list_interest(engine, settings, settings.get_list("world"))
    by_name = {s.name: s for s in shown.sources}
    assert shown.editions == 2 and [s.name for s in shown.sources] == ["alpha", "beta"]
    alpha, beta = by_name["alpha"], by_name["beta"]
    assert (alpha.stories, alpha.editions, alpha.deliveries, alpha.clicks) == (2, 2, 16 + 20, 10)
    assert (beta.stories, beta.editions, beta.deliveries, beta.clicks) == (1, 1, 16, 2)
    assert shown.average == pytest.approx(12 / 52)
    assert alpha.rate == pytest.approx(10 / 36) and beta.rate == pytest.approx(2 / 16)
    assert alpha.factor == learned_factor(10, 36, 12 / 52) > 1 > beta.factor == learned_factor(2, 16, 12 / 52)
    assert shown.learn is False and shown.tags == []
