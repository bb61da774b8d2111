"""Erasing a person mid-send: nothing more goes to them, nothing goes to "erased:NNN", and their rows
keep their status but not their address. One service does it, whichever path erases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from sqlalchemy import select

from digest.audience.privacy import erase
from digest.deliver.backends.smtp import Relay, SmtpBackend
from digest.deliver.send import send_edition
from digest.domain import Actor
from digest.editions import service
from digest.store.tables import deliveries
from tests.servers.smtp import Sink, serve
from tests.servers.support import ROOT, add_edition, add_members, make_links, make_settings

DIGEST = str(Path(sys.executable).with_name("digest"))
READERS = [f"reader{i}@example.net" for i in range(6)]


def rows(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(deliveries).order_by(deliveries.c.id)).all()


def test_erase_during_a_paused_send_from_the_command_line(tmp_path, db_url):
    """The report: pause, erase a pending recipient, resume: "Hello erased:1199," went out, counted sent."""
    settings = make_settings(batch_size=2)
    config = {"public_url": "https://digest.example.org", "database_url": db_url,
              "templates": str(ROOT / "templates"), "lists": [settings.lists[0].model_dump(mode="json")]}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    from digest.store.db import open_store

    eng = open_store(db_url)
    add_members(eng, READERS)
    edition_id = add_edition(eng, settings)
    sink = Sink()
    controller = serve(sink)
    try:
        smtp = SmtpBackend(Relay("127.0.0.1", controller.port, "none"))
        paused = send_edition(eng, settings, edition_id, smtp, make_links(),
                              lambda state: service.pause(eng, edition_id, Actor.named("test")) if state.done == 2 else None)
        assert paused.state == "paused" and paused.counts == {"sent": 2, "pending": 4}
        env = {**os.environ, "DIGEST_CONFIG": str(tmp_path / "config.yaml")}
        erased = subprocess.run([DIGEST, "subscribers", "erase", READERS[4], "--yes"], env=env,
                                capture_output=True, text=True, timeout=60)
        assert erased.returncode == 0, erased.stderr
        assert "1 pending delivery canceled" in erased.stdout
        service.resume(eng, edition_id, Actor.named("test"))
        done = send_edition(eng, settings, edition_id, smtp, make_links())
    finally:
        controller.stop()
    assert done.status == "sent" and done.counts == {"sent": 5, "canceled": 1}
    assert set(sink.received) == set(READERS) - {READERS[4]}
    assert not any(b"erased:" in raw for _, _, raw in sink.messages)
    [row] = [r for r in rows(eng) if r.status == "canceled"]
    eng.dispose()
    assert row.email == f"erased:{row.id}" and row.subscriber_id is None


class ErasingWhileInFlight:
    """The relay has the batch when the person is erased: their message may well arrive; what must
    not happen is a row that says a message was sent to "erased:NNN"."""

    name = "erasing"

    def __init__(self, engine, backend, victim: str):
        self.engine, self.backend, self.victim, self.erased = engine, backend, victim, None

    def send(self, batch):
        if self.erased is None and any(m.to_email == self.victim for m in batch):
            with self.engine.begin() as conn:
                self.erased = erase(conn, self.victim)
        return self.backend.send(batch)


def test_a_person_erased_while_their_message_is_in_flight(engine):
    settings = make_settings(batch_size=3)
    add_members(engine, READERS)
    edition_id = add_edition(engine, settings)
    sink = Sink()
    controller = serve(sink)
    try:
        backend = ErasingWhileInFlight(engine, SmtpBackend(Relay("127.0.0.1", controller.port, "none")), READERS[1])
        report = send_edition(engine, settings, edition_id, backend, make_links())
    finally:
        controller.stop()
    assert backend.erased.canceled == 1 and backend.erased.subscriber_id is not None
    assert report.status == "sent" and report.counts == {"sent": 5, "canceled": 1}
    row = next(r for r in rows(engine) if r.subscriber_id is None)
    assert (row.status, row.email) == ("canceled", f"erased:{row.id}")
    assert all(r.email in READERS for r in rows(engine) if r.status == "sent")


def test_erasing_scrubs_every_row_and_cancels_what_has_not_gone_out(engine):
    """The one service: what the CLI calls, and what the web app and the API are to call."""
    settings = make_settings(batch_size=2)
    add_members(engine, READERS)
    first = add_edition(engine, settings)
    sink = Sink(refuse={READERS[5]})  # the first edition fails for them, with their address in the reason
    controller = serve(sink)
    try:
        smtp = SmtpBackend(Relay("127.0.0.1", controller.port, "none"))
        send_edition(engine, settings, first, smtp, make_links())
        second = add_edition(engine, settings)
        send_edition(engine, settings, second, smtp, make_links(), lambda state: service.pause(engine, second, Actor.named("test")))
        with engine.begin() as conn:
            erasure = erase(conn, READERS[5].upper())
    finally:
        controller.stop()
    assert (erasure.canceled, erasure.scrubbed) == (1, 2)
    theirs = [r for r in rows(engine) if r.subscriber_id is None]
    assert sorted(r.status for r in theirs) == ["canceled", "failed"]
    assert all(r.email == f"erased:{r.id}" and READERS[5] not in (r.error or "") for r in theirs)
    failed = next(r.error for r in theirs if r.status == "failed")
    assert failed.startswith("smtp 550") and "<[erased]>" in failed  # the reason stays, the address goes
