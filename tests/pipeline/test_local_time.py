"""A list sent at its hour in each subscriber's own time zone."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy

import pytest
import time_machine

from digest import config
from digest.deliver.backends.file import FileBackend
from digest.deliver.control import resume_sends
from digest.deliver.send import send_edition
from digest.domain import Actor
from digest.editions import service
from digest.errors import ConfigError
from digest.ingest.run import ingest
from digest.links import Links
from digest.lists import sync_lists
from digest.store.db import open_store
from digest.store.deliveries import delivery_counts
from digest.store.editions import load_edition
from subscribers.importer import import_csv
from subscribers.tokens import Tokens
from tests.conftest import write_config

MEMBERS = """email,timezone
paris@example.org,Europe/Paris
newyork@example.org,America/New_York
tokyo@example.org,Asia/Tokyo
nowhere@example.org,
"""


def received(outbox) -> set[str]:
    return {
        email.message_from_bytes(p.read_bytes(), policy=policy.default)["To"].addresses[0].addr_spec
        for p in outbox.glob("*.eml")
    }


def test_each_subscriber_gets_the_edition_at_the_lists_hour_in_their_own_zone(instance, db_url):
    cfg = config.load(write_config(instance, database_url=db_url))
    world = dict(cfg.get_list("world").model_dump(mode="json"), local_time=True, timezone="Europe/Paris")
    # wait_for_deferred 0: each call sends what is due and returns (the clock is frozen here)
    delivery = dict(cfg.delivery.model_dump(mode="json"), resume_cutoff_hours=30, wait_for_deferred=0)
    settings = config.load(write_config(instance, lists=[world], delivery=delivery))
    engine = open_store(settings.db_url)
    sync_lists(engine, settings)
    (instance / "members.csv").write_text(MEMBERS)
    with engine.connect() as conn:
        import_csv(conn, instance / "members.csv", "world", consent="test")
    links, outbox = Links(settings.base_url, Tokens("k")), instance / "outbox"

    with time_machine.travel(datetime(2026, 12, 7, 6, 0, tzinfo=UTC), tick=False):  # 07:00 in Paris
        ingest(engine, settings)
        edition = service.build(engine, settings, "world", actor=Actor.named("test")).edition
        service.transition(engine, edition.id, "approved", actor=Actor.named("test"))
        report = send_edition(engine, settings, edition.id, FileBackend(outbox), links)
    assert report.status == "sending" and report.counts == {"sent": 3, "deferred": 1}
    assert received(outbox) == {"paris@example.org", "tokyo@example.org", "nowhere@example.org"}

    with time_machine.travel(datetime(2026, 12, 7, 11, 59, tzinfo=UTC), tick=False):  # 06:59 in New York
        resume_sends(engine, settings, FileBackend(outbox), links)
    assert "newyork@example.org" not in received(outbox)

    with time_machine.travel(datetime(2026, 12, 7, 12, 0, tzinfo=UTC), tick=False):  # 07:00 in New York
        resume_sends(engine, settings, FileBackend(outbox), links)
    assert "newyork@example.org" in received(outbox) and len(list(outbox.glob("*.eml"))) == 4
    with engine.connect() as conn:
        assert delivery_counts(conn, edition.id) == {"sent": 4}
        assert load_edition(conn, edition.id).status == "sent"
    engine.dispose()


def test_local_time_needs_a_resume_cut_off_longer_than_the_time_zones_span(instance):
    cfg = config.load(instance / "config.yaml")
    world = dict(cfg.get_list("world").model_dump(mode="json"), local_time=True)
    with pytest.raises(ConfigError, match="resume_cutoff_hours: list.s. world send at each subscriber's local"):
        config.load(write_config(instance, lists=[world]))
