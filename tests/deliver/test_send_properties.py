"""The send's invariants, for any mix of recipients, backend answers and interruptions (Hypothesis).

The real send (digest.deliver.send) runs against a real database; only the provider is scripted: a
backend of the Backend interface that builds every message for real (Outgoing.to_bytes, as a relay
without SMTPUTF8 needs it) and answers as the script says. Its log of accepted messages is what the
recipients got. Whatever happens, once the send is driven to its end (resumed after a pause, rerun
after a stop, a kill or an unexpected error, as `digest serve` would):

- every recipient who should get the edition got exactly one accepted message, and one more for
  each time the process was killed after the provider took their message and before the send
  recorded it (the one duplicate the design allows), which their row then reports;
- nobody else got one: not a pending or suppressed member, not an address that cannot be built or
  that the provider refuses, never "erased:NNN", and an erased person nothing after their erasure;
- no row is left `sending`, and each row tells what happened.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from digest.audience.privacy import erase
from digest.deliver import send
from digest.deliver.backends import Result
from digest.deliver.message import Outgoing
from digest.domain import Actor
from digest.editions import service
from digest.errors import Conflict
from digest.lists import sync_lists
from digest.store.db import make_engine
from digest.store.editions import load_edition
from digest.store.tables import deliveries
from subscribers.models import Subscriber
from subscribers.service import set_status, upsert_subscriber
from subscribers.suppression import suppress
from tests.servers.support import LIST_ID, add_edition, make_links, make_settings

KINDS = ("good", "good", "good", "utf8", "refused", "suppressed", "pending")  # good ones more often
ANSWERS = ("ok", "ok", "429", "500", "timeout", "raise", "kill_before", "kill_after", "pause", "stop")
EXPECTED_RAISE = RuntimeError


class Killed(BaseException):
    """The process dies: nothing in it records anything more."""


@dataclass(frozen=True)
class Recipient:
    email: str
    kind: str
    erase_at: int | None  # erased when the backend is handed its call number erase_at


@dataclass
class Provider:
    """The scripted backend: answers call after call as `script` says, then accepts everything."""

    engine: object
    edition_id: int
    recipients: list[Recipient]
    script: list[str]
    name: str = "scripted"
    calls: int = 0
    accepted: Counter = field(default_factory=Counter)  # address -> messages the provider took
    row_of: dict = field(default_factory=dict)  # address -> its delivery row id, as the messages said
    unrecorded: Counter = field(default_factory=Counter)  # address -> copies taken just before a kill
    offered_at: dict = field(default_factory=dict)  # address -> the last call that offered it
    offered_row: dict = field(default_factory=dict)  # address -> the delivery row of that offer
    erased_at: dict = field(default_factory=dict)  # address -> the call during which it was erased

    def send(self, batch: list[Outgoing]) -> list[Result]:
        self.calls += 1
        call = self.calls
        for r in self.recipients:
            if r.erase_at == call and r.email not in self.erased_at:
                with self.engine.begin() as conn:
                    erase(conn, r.email)
                self.erased_at[r.email] = call
        for m in batch:
            self.offered_at[m.to_email], self.offered_row[m.to_email] = call, m.delivery_id
        answer = self.script[call - 1] if call <= len(self.script) else "ok"
        if answer == "raise":
            raise EXPECTED_RAISE("the provider's client blew up")
        if answer == "kill_before":
            raise Killed
        if answer in ("429", "500", "timeout"):
            return [Result(m.key, "retry", f"scripted {answer}", datetime.now(UTC)) for m in batch]
        results = [self._one(m) for m in batch]
        if answer == "kill_after":  # the provider took them; the sender dies before it records that
            self.unrecorded.update(m.to_email for m, r in zip(batch, results, strict=True) if r.status == "accepted")
            raise Killed
        if answer == "pause":
            service.pause(self.engine, self.edition_id, Actor.named("test"))
        if answer == "stop":
            send.SHUTTING_DOWN.set()
        return results

    def _one(self, message: Outgoing) -> Result:
        try:
            message.to_bytes()  # as a relay without SMTPUTF8 needs the message
        except ValueError as exc:
            return Result(message.key, "failed", str(exc))
        if message.to_email.startswith("refused"):
            return Result(message.key, "failed", "scripted 550: no such mailbox")
        self.accepted[message.to_email] += 1
        self.row_of[message.to_email] = message.delivery_id
        return Result(message.key, "accepted")


def address(i: int, kind: str) -> str:
    return {"utf8": f"ünï{i}@example.net", "refused": f"refused{i}@example.net"}.get(kind, f"reader{i}@example.net")


@st.composite
def scenarios(draw):
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=8))
    script = draw(st.lists(st.sampled_from(ANSWERS), max_size=8))
    recipients = [
        Recipient(address(i, kind), kind, draw(st.none() | st.integers(1, 6)) if kind == "good" else None)
        for i, kind in enumerate(kinds)
    ]
    return recipients, script, draw(st.integers(1, 4))


def _populate(engine, recipients: list[Recipient]) -> None:
    with engine.begin() as conn:
        for r in recipients:
            sid, _ = upsert_subscriber(conn, Subscriber(r.email))
            set_status(conn, sid, LIST_ID, "pending" if r.kind == "pending" else "confirmed", method="admin")
            if r.kind == "suppressed":
                suppress(conn, r.email, "bounce")


def _drive(engine, config, edition_id: int, provider: Provider) -> None:
    """Run the send to its end, as the operator and `digest serve` would after each interruption."""
    for _ in range(40):
        killed = False
        try:
            send.send_edition(engine, config, edition_id, provider, make_links())
        except Killed:
            killed = True  # the next start recovers its rows in flight
        except EXPECTED_RAISE:
            pass  # the batch was deferred; the next start sends it
        finally:
            send.SHUTTING_DOWN.clear()
        with engine.connect() as conn:
            in_flight = conn.execute(select(deliveries.c.id).where(deliveries.c.status == "sending")).all()
            assert killed or not in_flight, "a send returned, or raised, with rows left in flight"
            if load_edition(conn, edition_id).status == "sent":
                return
        try:
            service.resume(engine, edition_id, Actor.named("test"))
        except Conflict:
            pass  # it was not paused
    pytest.fail("the send never finished")


def _check(engine, recipients: list[Recipient], provider: Provider) -> None:
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(deliveries))}
    by_email = {r.email: r for r in rows.values()}
    assert not [r for r in rows.values() if r.status == "sending"], "a row was left in flight"
    assert not any(a.startswith("erased:") for a in provider.offered_at), "a message went to erased:NNN"
    for r in recipients:
        got = provider.accepted[r.email]
        if r.kind in ("suppressed", "pending"):
            assert got == 0 and r.email not in provider.offered_at and r.email not in by_email
        elif r.kind in ("utf8", "refused"):
            row = by_email[r.email]
            assert got == 0 and row.status == "failed" and row.error
        elif r.email in provider.erased_at:  # in flight at their erasure, their message may have gone
            assert provider.offered_at.get(r.email, 0) <= provider.erased_at[r.email], "offered after erasure"
            assert got <= 1 + provider.unrecorded[r.email]
            assert got <= 1 or rows[provider.row_of[r.email]].interrupted
            assert r.email not in by_email  # scrubbed: no row holds the address any more
            if provider.offered_at.get(r.email) == provider.erased_at[r.email]:  # in flight: not "sent"
                assert rows[provider.offered_row[r.email]].status == "canceled"
        else:  # one copy, and one more for each kill that came between the provider taking it and the record
            row = by_email[r.email]
            assert row.status == "sent" and got == 1 + provider.unrecorded[r.email], f"{r.email}: {got} copies"
            assert row.interrupted or got == 1, "a second copy that its row does not report"
    for row in rows.values():  # an erased person's row says nothing of them, and never that it was sent
        if row.subscriber_id is None:
            assert row.email == f"erased:{row.id}" and row.status in ("canceled", "sent", "failed")


def _run(engine, scenario) -> None:
    recipients, script, batch_size = scenario
    config = make_settings(batch_size=batch_size, wait_for_deferred=5,
                           retry={"attempts": 1, "base_delay": 0.0, "max_delay": 0.0, "defer_seconds": 0})
    sync_lists(engine, config)
    _populate(engine, recipients)
    edition_id = add_edition(engine, config)
    provider = Provider(engine, edition_id, recipients, script)
    _drive(engine, config, edition_id, provider)
    _check(engine, recipients, provider)


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(scenario=scenarios())
def test_the_send_invariants_on_sqlite(templates, tmp_path_factory, scenario):  # noqa: F811
    # migrated once, copied for each example
    engine = make_engine(templates.sqlite(tmp_path_factory.mktemp("property") / "digest.db"))
    try:
        _run(engine, scenario)
    finally:
        engine.dispose()


@settings(PROPERTY, max_examples=20)
@given(scenario=scenarios())
def test_the_send_invariants_on_postgresql(templates, scenario):  # noqa: F811
    engine = make_engine(templates.postgres())  # emptied for each example
    try:
        _run(engine, scenario)
    finally:
        engine.dispose()
