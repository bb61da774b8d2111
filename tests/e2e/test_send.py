"""`digest send` as the README promises it: a kill -9 and a resume lose nobody and duplicate at
most the batch in flight; one undeliverable address fails alone; a person erased during a paused
send gets nothing. Through the installed program, against a relay and the SendGrid stand-in on
loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import signal
from collections import Counter

from tests.e2e.conftest import CONFIRMED, Mailbox, Program, outbox_mails, wait_for
from tests.servers.sendgrid import Server, StandIn

SENDGRID_KEY = "SG.e2e-test-key"


def readers(n: int) -> list[str]:
    return [f"reader{i:02d}@example.net" for i in range(n)]


def assert_finished(program: Program, edition_id: int) -> dict[str, int]:
    """The edition is `sent` and none of its rows is left pending or `sending`."""
    listed = program.run("editions", "list").stdout
    assert re.search(rf"│\s*{edition_id}\s*│\s*world\s*│\s*sent\s*│", listed), listed
    counts = program.delivery_counts(edition_id)
    assert not counts.get("sending") and not counts.get("pending"), counts
    return counts


def test_kill_9_mid_send_then_a_rerun_delivers_to_everyone_and_reports_the_batch_in_flight(program):
    members = readers(20)
    program.add_members(members)
    with Server(StandIn(SENDGRID_KEY, stall_at=2)) as server:  # the 2nd request is taken, then hangs
        program.env["SENDGRID_API_KEY"] = SENDGRID_KEY
        program.configure(delivery={"backend": "sendgrid", "batch_size": 5,
                                    "sendgrid": {"api_host": server.url, "timeout": 60}})  # fmt: skip
        edition_id = program.approved_edition()
        sending = program.start("send", str(edition_id), log_name="send-killed.log")
        assert server.stand_in.stalled.wait(60), (program.root / "send-killed.log").read_text()
        sending.send_signal(signal.SIGKILL)  # kill -9 while a batch is with the provider
        sending.wait(10)
        server.stand_in.release.set()
        assert program.delivery_counts(edition_id) == {"sent": 5, "sending": 5, "pending": 10}

        rerun = program.run("send", str(edition_id))  # resumes from the rows
        accepted = Counter(server.stand_in.accepted_count)
    assert f"edition #{edition_id}: sent (done)" in rerun.stdout, rerun.stdout
    assert "5 message(s) were in flight when an earlier run stopped" in rerun.stderr, rerun.stderr
    assert set(accepted) == set(members)  # every recipient got the edition
    twice = {address for address, n in accepted.items() if n > 1}
    assert len(twice) <= 5 and max(accepted.values()) <= 2  # at most the batch in flight, once more
    shown = program.run("editions", "show", str(edition_id)).stdout
    flagged = re.search(r"may have received two copies: (\d+) \((.*)\)", shown)
    assert flagged, shown
    assert int(flagged.group(1)) == 5 and twice <= set(flagged.group(2).split(", "))  # and named
    assert assert_finished(program, edition_id) == {"sent": 20}


def test_one_address_the_relay_refuses_fails_alone_with_its_reason(program, mailbox: Mailbox):
    program.use_smtp(mailbox)
    program.run("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e")
    program.run("subscribers", "add", "gone@example.net", "--list", "world", "--consent", "e2e")
    mailbox.sink.refuse.add("gone@example.net")  # 550 5.1.1 at RCPT TO
    edition_id = program.approved_edition()

    sent = program.run("send", str(edition_id), check=False)
    assert sent.returncode == 1, sent  # a failed row is reported with exit status 1, no traceback
    assert "Traceback" not in sent.stderr, sent.stderr
    assert "failed 1, sent 4" in sent.stdout, sent.stdout
    assert mailbox.copies("world") == Counter(CONFIRMED)  # everyone else got it, once
    assert assert_finished(program, edition_id) == {"sent": 4, "failed": 1}
    [(status, error)] = program.query(
        "SELECT status, error FROM deliveries WHERE email = 'gone@example.net'"
    )
    assert status == "failed" and "550" in error, error


NON_ASCII = ["user@exämple.com", "jürgen@example.net"]  # a Unicode domain; a Unicode local part


def forms(address: str) -> set[str]:
    """The address as a relay may see it: as written, or with its domain IDNA-encoded."""
    local, domain = address.rsplit("@", 1)
    return {address, f"{local}@{domain.encode('idna').decode('ascii')}"}


def test_a_non_ascii_address_never_stops_a_send(program, mailbox: Mailbox):
    """Whatever the product does with internationalized addresses (IDNA, SMTPUTF8, refusing them
    when they are added), one of them must not stop the send of everyone else's message."""
    program.use_smtp(mailbox)
    program.run("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e")
    added = {}
    for address in NON_ASCII:
        done = program.run("subscribers", "add", address, "--list", "world", "--consent", "e2e", check=False)
        assert "Traceback" not in done.stderr, done.stderr
        if done.returncode != 0:  # refused at once: then with a reason that names the address
            assert address in done.stderr and "error" in done.stderr, done.stderr
        added[address] = done.returncode == 0
    edition_id = program.approved_edition()

    sent = program.run("send", str(edition_id), check=False, timeout=180)
    assert sent.returncode in (0, 1) and "Traceback" not in sent.stderr, sent.stderr[-3000:]
    counts = assert_finished(program, edition_id)
    copies = mailbox.copies("world")
    assert all(copies[a] == 1 for a in CONFIRMED), copies  # every ASCII recipient has it, once
    received = {r for m in mailbox.mails() if m.list_id == "world" for r in m.rcpt_to}
    for address in (a for a, ok in added.items() if ok):
        shown = json.loads(program.run("subscribers", "show", address, "--json").stdout)
        rows = [d for d in shown["deliveries"] if d["edition"] == edition_id]
        assert len(rows) == 1, f"{address} was accepted as a member but has {len(rows)} delivery rows"
        [delivery] = rows
        if delivery["status"] == "sent":
            assert forms(address) & received, (address, received)  # it really went out
        else:
            assert delivery["status"] == "failed", (address, delivery)
    failed = program.query(
        "SELECT email, error FROM deliveries WHERE edition_id = :e AND status = 'failed'", e=edition_id
    )
    assert all(error for _, error in failed), failed  # each failure with its reason
    assert counts.get("sent", 0) + counts.get("failed", 0) == len(CONFIRMED) + sum(added.values())


def test_a_person_erased_during_a_paused_send_gets_nothing(program):
    members = readers(48)
    program.add_members(members)
    # batches of 4 a second: 12 s in all, time enough for `digest editions pause` to start on a busy machine
    program.configure(delivery={"throttle": {"per_second": 4}})
    edition_id = program.approved_edition()
    sending = program.start("send", str(edition_id), log_name="send-paused.log")
    wait_for(lambda: len(list((program.root / "outbox").glob("*.eml"))) >= 4, 60, "the send did not start")
    program.run("editions", "pause", str(edition_id))
    assert sending.wait(30) == 0
    assert "paused" in (program.root / "send-paused.log").read_text()
    pending = program.query(
        "SELECT email FROM deliveries WHERE edition_id = :e AND status = 'pending' ORDER BY id DESC",
        e=edition_id,
    )
    assert pending, "the send finished before it could be paused"
    erased = pending[0].email
    program.run("subscribers", "erase", erased, "--yes")

    program.run("editions", "resume", str(edition_id))
    mails = outbox_mails(program)
    to_erased = [str(m.message["To"]) for m in mails if "erased:" in str(m.message["To"]) or m.to == erased]
    assert not to_erased, f"{erased} was erased while the send was paused, yet mail went to {to_erased}"
    assert Counter(m.to for m in mails) == Counter(a for a in members if a != erased)  # others: once
    counts = assert_finished(program, edition_id)
    assert counts.get("sent") == len(members) - 1, counts
