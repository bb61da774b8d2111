"""A test send through the installed `digest`, to an aiosmtpd relay on loopback: the editor's
address and the list's seed addresses get the edition marked as a test, nobody else does, and the
edition's own send and figures know nothing of it."""

from __future__ import annotations

import json

from tests.e2e.conftest import CONFIRMED, Mailbox, Program


def test_a_test_send_reaches_the_editor_and_the_seeds_and_counts_nowhere(program: Program, mailbox: Mailbox):
    program.use_smtp(mailbox)
    lists = program.config()["lists"]
    lists[0]["seed_addresses"] = ["seed-one@example.net", "seed-two@example.net"]
    program.configure(lists=lists)
    program.add_members(list(CONFIRMED))
    program.run("ingest")
    program.run("editions", "build", "world")

    done = program.run("editions", "test-send", "1", "--to", "Editor@Example.org")
    assert done.stdout.splitlines() == [
        "Editor@example.org: sent", "seed-one@example.net: sent", "seed-two@example.net: sent",
    ]  # fmt: skip
    mails = mailbox.mails()
    assert sorted(m.to for m in mails) == ["Editor@example.org", "seed-one@example.net", "seed-two@example.net"]
    assert not set(CONFIRMED) & {m.to for m in mails}  # no subscriber got it
    for mail in mails:
        assert str(mail.message["Subject"]).startswith("[TEST] The World This Week: ")
        assert mail.message["X-Digest-Test"] == "yes"
        assert mail.message["List-Unsubscribe"] is None and mail.list_id is None  # not list mail
        assert "/unsubscribe/" not in mail.text and "/archive/1" in mail.text  # no subscriber's link in it

    assert program.delivery_counts(1) == {}  # no delivery row: the real send starts from nothing
    shown = program.run("editions", "show", "1").stdout
    assert "sent" not in shown.split("changes:")[0].splitlines()[0] and "test" not in shown.split("changes:")[1]
    [(action, details)] = program.query("SELECT action, details FROM audit_log WHERE action = 'edition.test_send'")
    details = details if isinstance(details, dict) else json.loads(details)
    assert details == {"to": ["Editor@example.org", "seed-one@example.net", "seed-two@example.net"], "accepted": 3}

    # the real send afterwards goes to the subscribers, as if no test had been sent
    program.run("editions", "approve", "1")
    program.run("send", "1")
    assert program.delivery_counts(1) == {"sent": len(CONFIRMED)}
    assert sorted(m.to for m in mailbox.mails() if m.list_id == "world") == sorted(CONFIRMED)


def test_a_wrong_address_is_named_and_nothing_is_sent(program: Program, mailbox: Mailbox):
    program.use_smtp(mailbox)
    program.run("ingest")
    program.run("editions", "build", "world")
    refused = program.run("editions", "test-send", "1", "--to", "ana@@example.org", check=False)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "ana@@example.org: not a valid email address" in refused.stderr
    nobody = program.run("editions", "test-send", "1", check=False)
    assert nobody.returncode != 0 and "set seed_addresses for the list 'world'" in " ".join(nobody.stderr.split())

    lists = program.config()["lists"]
    lists[0]["seed_addresses"] = ["not an address"]
    program.configure(lists=lists)
    bad_config = program.run("editions", "test-send", "1", "--to", "ana@example.org", check=False)
    assert bad_config.returncode != 0 and "seed_addresses" in bad_config.stderr and "Traceback" not in bad_config.stderr
    assert mailbox.mails() == []
