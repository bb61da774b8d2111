"""Pause, resume, cancel, the resume cut-off, throttling, the lease and the file backend's outbox."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, update

from digest.config import ThrottleSettings
from digest.deliver import control
from digest.deliver.backends.file import FileBackend
from digest.deliver.backends.sendgrid import SendGridBackend
from digest.deliver.send import send_edition
from digest.deliver.throttle import Throttle
from digest.domain import Actor
from digest.editions import service
from digest.errors import Busy, Conflict
from digest.store.deliveries import delivery_counts
from digest.store.leases import Lease, send_lease_name
from digest.store.tables import edition_sends, leases
from tests.servers.sendgrid import Server, StandIn
from tests.servers.support import add_edition, add_subscribers, make_links, make_settings


def _setup(engine, n=300, **delivery):
    settings = make_settings(batch_size=100, **delivery)
    add_subscribers(engine, n)
    return settings, add_edition(engine, settings)


def test_pause_stops_after_the_batch_in_flight_and_resume_finishes(engine):
    settings, edition_id = _setup(engine)
    with Server(StandIn("k")) as server:
        sg = SendGridBackend("k", server.url)
        paused = send_edition(engine, settings, edition_id, sg, make_links(),
                              lambda state: service.pause(engine, edition_id, Actor.named("test")) if state.done == 100 else None)
        assert paused.state == "paused" and paused.counts == {"sent": 100, "pending": 200}
        with pytest.raises(Conflict, match="paused"):
            send_edition(engine, settings, edition_id, sg, make_links())
        add_subscribers(engine, 50, start=300)  # they joined after the send began: not this edition
        service.resume(engine, edition_id, Actor.named("test"))
        done = send_edition(engine, settings, edition_id, sg, make_links())
        stats = server.stand_in.stats()
    assert done.status == "sent" and done.counts == {"sent": 300}
    assert stats["accepted"] == 300 and stats["duplicates"] == 0
    assert service.show(engine, settings, edition_id, None).send.state == "done"


def test_cancel_sends_nothing_more(engine):
    settings, edition_id = _setup(engine)
    with Server(StandIn("k")) as server:
        sg = SendGridBackend("k", server.url)
        report = send_edition(engine, settings, edition_id, sg, make_links(),
                              lambda state: service.cancel(engine, edition_id, Actor.named("test")) if state.done == 100 else None)
        assert report.state == "canceled"
        with pytest.raises(Conflict, match="canceled"):
            send_edition(engine, settings, edition_id, sg, make_links())
        stats = server.stand_in.stats()
    assert report.counts == {"sent": 100, "canceled": 200}
    assert stats["accepted"] == 100
    lines = control.send_report_lines(service.show(engine, settings, edition_id, None).send)
    assert "sent 100" in lines[0] and "canceled 200" in lines[0] and "send: canceled" in lines[1]


def test_an_edition_older_than_the_cutoff_is_not_resumed(sqlite_engine):
    settings, edition_id = _setup(sqlite_engine, resume_cutoff_hours=6)
    with Server(StandIn("k")) as server:
        sg = SendGridBackend("k", server.url)
        send_edition(sqlite_engine, settings, edition_id, sg, make_links(),
                     lambda state: service.pause(sqlite_engine, edition_id, Actor.named("test")))
        service.resume(sqlite_engine, edition_id, Actor.named("test"))
        with sqlite_engine.begin() as conn:  # as if the outage lasted seven hours
            conn.execute(update(edition_sends).values(started_at=datetime.now(UTC) - timedelta(hours=7)))
        with pytest.raises(Conflict, match="more than 6 h ago"):
            send_edition(sqlite_engine, settings, edition_id, sg, make_links())
        assert server.stand_in.stats()["accepted"] == 100
    with sqlite_engine.connect() as conn:
        assert delivery_counts(conn, edition_id) == {"sent": 100, "pending": 200}


def test_a_second_sender_is_refused_while_the_first_holds_the_lease(sqlite_engine):
    settings, edition_id = _setup(sqlite_engine, n=10)
    with Server(StandIn("k")) as server:
        sg = SendGridBackend("k", server.url)
        send_edition(sqlite_engine, settings, edition_id, sg, make_links(),
                     lambda state: service.pause(sqlite_engine, edition_id, Actor.named("test")))
        service.resume(sqlite_engine, edition_id, Actor.named("test"))
        with sqlite_engine.begin() as conn:  # a live process elsewhere holds the lease
            conn.execute(insert(leases).values(name=send_lease_name(edition_id), holder="another-host:1",
                                               expires_at=datetime.now(UTC) + timedelta(minutes=5)))
        with pytest.raises(Busy, match="another-host:1"):
            send_edition(sqlite_engine, settings, edition_id, sg, make_links())
        with sqlite_engine.begin() as conn:  # ...until its lease runs out
            conn.execute(update(leases).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        assert send_edition(sqlite_engine, settings, edition_id, sg, make_links()).status == "sent"
    with Lease(sqlite_engine, send_lease_name(edition_id)):  # the send gave its lease back
        pass


def test_throttle_rate_and_sliding_window():
    now = [0.0]
    throttle = Throttle(ThrottleSettings(per_second=100, window_limit=250, window_seconds=10), clock=lambda: now[0])
    assert throttle.largest_batch(1000) == 100
    assert [throttle.delay(100), throttle.delay(100)] == [0.0, 1.0]  # 100/s: the second batch waits a second
    assert throttle.delay(100) == 10.0  # 300 > 250 in 10 s: wait until the first batch leaves the window
    now[0] = 10.0
    assert throttle.delay(50) == pytest.approx(1.0)  # at 10 s: the rate limit lets it go at 11 s


def test_throttled_send_is_really_slower(sqlite_engine):
    settings, edition_id = _setup(sqlite_engine, n=300, throttle={"per_second": 200})
    with Server(StandIn("k")) as server:
        started = time.monotonic()
        report = send_edition(sqlite_engine, settings, edition_id, SendGridBackend("k", server.url), make_links())
        elapsed = time.monotonic() - started
        requests = server.stand_in.requests
    assert report.counts == {"sent": 300}
    assert requests == 3 and elapsed >= 0.95  # 3 batches of 100 at 200/s: the third may go at 1.0 s


def test_file_outbox_writes_one_eml_per_recipient_and_a_rerun_rewrites_it(sqlite_engine, tmp_path):
    settings, edition_id = _setup(sqlite_engine, n=5)
    outbox = FileBackend(tmp_path / "outbox")
    report = send_edition(sqlite_engine, settings, edition_id, outbox, make_links())
    assert report.counts == {"sent": 5}
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 5
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in files[0].read_bytes()


class Crashing:
    """Hands the first batch to the real backend, then dies mid-send as a killed process would."""

    name = "crashing"

    def __init__(self, backend):
        self.backend, self.calls = backend, 0

    def send(self, batch):
        self.calls += 1
        if self.calls == 2:
            self.backend.send(batch)  # the provider takes it...
            raise SystemExit("killed")  # ...and the sender never records that
        return self.backend.send(batch)


def test_a_restart_resumes_interrupted_sends_and_reports_the_batch_in_flight(engine):
    settings, edition_id = _setup(engine)
    with Server(StandIn("k")) as server:
        sg = SendGridBackend("k", server.url)
        with pytest.raises(SystemExit):
            send_edition(engine, settings, edition_id, Crashing(sg), make_links())
        reports = control.resume_sends(engine, settings, sg, make_links())
        stats = server.stand_in.stats()
    assert [(r.edition_id, r.status, r.interrupted_now) for r in reports] == [(edition_id, "sent", 100)]
    assert stats["unique"] == 300 and stats["duplicates"] == 100  # the batch in flight, as reported
    assert len(service.show(engine, settings, edition_id, None).send.interrupted) == 100
