"""A send works from its delivery rows: interrupted, it resumes without skipping or repeating anyone."""

from __future__ import annotations

import email
from email import policy

import pytest

from digest import config
from digest.deliver.backends.file import FileBackend
from digest.deliver.send import send_edition
from digest.domain import Actor
from digest.editions import service
from digest.ingest.run import ingest
from digest.links import Links
from digest.lists import sync_lists
from digest.store.db import open_store
from digest.store.deliveries import delivery_counts
from digest.store.editions import load_edition
from subscribers.importer import import_csv
from subscribers.tokens import Tokens
from tests.conftest import write_config

MEMBERS = 25


class Crash(BaseException):
    """The process dying (a kill, a power cut): nothing in it gets to record anything. An Exception
    from a backend is another matter: the send defers that batch rather than leave it in flight."""


class CrashingBackend(FileBackend):
    """The outbox, but the process 'dies' when the given batch is handed over."""

    def __init__(self, folder, crash_on_call: int):
        super().__init__(folder)
        self.calls = 0
        self.crash_on_call = crash_on_call

    def send(self, batch):
        self.calls += 1
        if self.calls == self.crash_on_call:
            raise Crash
        return super().send(batch)


@pytest.fixture
def ready(instance, db_url):
    """An instance with 25 confirmed members, ingested, and one edition built."""
    write_config(instance, database_url=db_url, delivery={"backend": "file", "outbox": "outbox", "batch_size": 10})
    rows = "email,name\n" + "".join(f"member{i}@example.org,Member {i}\n" for i in range(MEMBERS))
    (instance / "members.csv").write_text(rows)
    settings = config.load(instance / "config.yaml")
    engine = open_store(settings.db_url)
    sync_lists(engine, settings)
    with engine.connect() as conn:  # the import commits chunk by chunk
        import_csv(conn, instance / "members.csv", "world", consent="test fixture")
    ingest(engine, settings)
    edition = service.build(engine, settings, "world", actor=Actor.named("test")).edition
    service.transition(engine, edition.id, "approved", actor=Actor.named("test"))
    yield settings, engine, edition.id
    engine.dispose()


def test_an_interrupted_send_resumes_from_the_rows(ready):
    settings, engine, edition_id = ready
    links = Links(settings.base_url, Tokens("k"))
    outbox = settings.path("outbox")

    with pytest.raises(Crash):
        send_edition(engine, settings, edition_id, CrashingBackend(outbox, crash_on_call=2), links)
    with engine.connect() as conn:
        assert load_edition(conn, edition_id).status == "sending"
        counts = delivery_counts(conn, edition_id)
    assert counts == {"sent": 10, "sending": 10, "pending": 5}  # rows exist for everyone before sending

    report = send_edition(engine, settings, edition_id, FileBackend(outbox), links)
    assert report.status == "sent" and report.sent_now == 15 and report.counts == {"sent": 25}
    recipients = [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)["To"].addresses[0].addr_spec
        for p in outbox.glob("*.eml")
    ]
    assert sorted(recipients) == sorted(f"member{i}@example.org" for i in range(MEMBERS))

    again = send_edition(engine, settings, edition_id, FileBackend(outbox), links)
    assert again.sent_now == 0 and len(list(outbox.glob("*.eml"))) == MEMBERS


def test_members_who_join_after_the_send_started_are_not_added(ready, instance):
    settings, engine, edition_id = ready
    links = Links(settings.base_url, Tokens("k"))
    with pytest.raises(Crash):
        send_edition(engine, settings, edition_id, CrashingBackend(settings.path("outbox"), 1), links)
    (instance / "late.csv").write_text("email\nlate@example.org\n")
    with engine.connect() as conn:  # the import commits chunk by chunk
        import_csv(conn, instance / "late.csv", "world", consent="test fixture")
    report = send_edition(engine, settings, edition_id, FileBackend(settings.path("outbox")), links)
    assert report.counts == {"sent": MEMBERS}
