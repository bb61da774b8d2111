"""Bounces and complaints of SMTP mail, through the program: an edition goes out over SMTP with the
bounce address as its envelope sender; reports built as real MTAs and feedback loops write them,
about mail that was sent, are delivered with smtplib to a running `digest bounces serve`; a hard
bounce and a complaint suppress the address, a soft bounce nothing, a repeated report changes
nothing; the edition's publishers get one alert of each kind, not two."""

from __future__ import annotations

import smtplib
import time
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid

import pytest

from tests.e2e.conftest import CONFIRMED, Mail, Mailbox, Program, outbox_mails, running_mailbox, wait_for
from tests.servers.imap import dovecot
from tests.servers.smtp import free_port

BOUNCES = "bounces@example.org"
PASSWORD = "the publisher's password"


def dsn(mail: Mail, action: str, status: str, diagnostic: str) -> bytes:
    """A Postfix-like delivery status notification about `mail`, its headers returned."""
    headers = "".join(f"{k}: {v}\n" for k, v in mail.message.items())
    boundary = "4F2A81C0A3.1733303523/mx.example.net"
    return f"""Date: {format_datetime(datetime.now(UTC))}
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {BOUNCES}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"
Message-Id: {make_msgid(domain="mx.example.net")}

--{boundary}
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net. Your message could not be delivered.

--{boundary}
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Sender: rfc822; {BOUNCES}

Final-Recipient: rfc822; {mail.to}
Original-Recipient: rfc822;{mail.to}
Action: {action}
Status: {status}
Remote-MTA: dns; mail.example.net
Diagnostic-Code: smtp; {diagnostic}

--{boundary}
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{headers}
--{boundary}--
""".replace("\n", "\r\n").encode()


def arf(mail: Mail) -> bytes:
    """An abuse report (RFC 5965) about `mail`, as a feedback loop sends it, the message returned."""
    original = mail.message.as_bytes().decode("utf-8", "replace")
    boundary = "part1_13d.2e68ed54_boundary"
    return f"""From: <abuse-feedback@fbl.example.net>
Date: {format_datetime(datetime.now(UTC))}
Subject: FW: {mail.message["Subject"]}
To: <{BOUNCES}>
Message-ID: {make_msgid(domain="fbl.example.net")}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="{boundary}"

--{boundary}
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report for an email message received from IP 127.0.0.1.

--{boundary}
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <{BOUNCES}>
Original-Rcpt-To: <{mail.to}>
Arrival-Date: {format_datetime(datetime.now(UTC))}

--{boundary}
Content-Type: message/rfc822
Content-Disposition: inline

{original}
--{boundary}--
""".replace("\r\n", "\n").replace("\n", "\r\n").encode()


def deliver(port: int, raw: bytes, to: str = BOUNCES) -> tuple[int, str]:
    """Hand `raw` to the listener as an MTA returns a report (MAIL FROM:<>); its reply to DATA."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo()
        client.mail("")
        code, said = client.rcpt(to)
        if code != 250:
            return code, said.decode()
        code, said = client.data(raw)
        return code, said.decode()


def shown(program: Program, address: str) -> str:
    return program.run("subscribers", "show", address).stdout


def alerts(mailbox: Mailbox, to: str) -> list[Mail]:
    return [m for m in mailbox.to(to) if str(m.message["Subject"]).startswith("[alert]")]


def test_reports_returned_to_the_bounce_address_act_once(program: Program, mailbox: Mailbox):
    program.use_smtp(mailbox)
    program.configure(delivery={"bounces": {"address": BOUNCES}})
    program.run("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e")
    program.run("users", "create", "pub@example.org", "--role", "publisher", "--name", "Pub", input=PASSWORD + "\n")
    program.run("users", "create", "ed@example.org", "--role", "editor", "--name", "Ed", input=PASSWORD + "\n")
    edition_id = program.approved_edition()
    program.run("send", str(edition_id))
    with mailbox.sink.lock:
        senders = {mail_from for mail_from, _, _ in mailbox.sink.messages}
    assert senders == {BOUNCES}  # the envelope sender: reports come back to the bounce address
    sent = {m.to: m for m in mailbox.mails() if m.list_id == "world"}
    assert {"ada@example.org", "grace@example.org", "jean@example.fr", "greta@example.de"} <= set(sent)

    port = free_port()
    program.start("bounces", "serve", "--listen", f"127.0.0.1:{port}", log_name="bounces.log")
    wait_for(lambda: "taking bounces" in (program.root / "bounces.log").read_text(), 60, "the listener to start")

    # a stranger's address is not ours to take mail for
    assert deliver(port, b"Subject: hi\r\n\r\nhello\r\n", to="someone@example.org")[0] == 550

    code, said = deliver(port, arf(sent["grace@example.org"]))
    assert (code, said) == (250, "OK arf: 1 applied")
    code, said = deliver(port, dsn(sent["ada@example.org"], "failed", "5.1.1", "550 5.1.1 <ada@example.org>: "
                                   "Recipient address rejected: User unknown"))  # fmt: skip
    assert (code, said) == (250, "OK dsn: 1 applied")
    code, said = deliver(port, dsn(sent["jean@example.fr"], "failed", "4.2.2", "452 4.2.2 Mailbox full"))
    assert (code, said) == (250, "OK dsn: 1 applied")

    grace, ada, jean = (shown(program, a) for a in ("grace@example.org", "ada@example.org", "jean@example.fr"))
    assert "list world: complained" in grace and "suppressed: complaint" in grace, grace
    assert "list world: bounced" in ada and "suppressed: bounce" in ada, ada
    assert "list world: confirmed" in jean and "suppressed" not in jean, jean  # a soft bounce: nothing
    [(status, error)] = program.query(
        "SELECT status, error FROM deliveries WHERE edition_id = :e AND email = 'ada@example.org'", e=edition_id
    )
    assert status == "failed" and "User unknown" in error
    [(jean_status,)] = program.query(
        "SELECT status FROM deliveries WHERE edition_id = :e AND email = 'jean@example.fr'", e=edition_id
    )
    assert jean_status == "sent"

    # the same reports again: received, nothing new
    events = program.query("SELECT count(*) FROM delivery_events")[0][0]
    report = dsn(sent["ada@example.org"], "failed", "5.1.1", "550 5.1.1 User unknown")
    assert deliver(port, report) == (250, "OK dsn: 1 applied")  # a new report of the same bounce...
    assert deliver(port, report) == (250, "OK dsn: 0 applied")  # ...delivered twice is applied once
    assert program.query("SELECT count(*) FROM delivery_events")[0][0] == events + 1

    # one alert of each kind to the publisher (1 complaint and 1 bounce of 4 or more sent), none to the editor
    wait_for(lambda: len(alerts(mailbox, "pub@example.org")) == 2, 30, "two alerts to the publisher")
    subjects = sorted(str(m.message["Subject"]) for m in alerts(mailbox, "pub@example.org"))
    assert "bounces over the limit" in subjects[0] and "complaints over the limit" in subjects[1], subjects
    text = alerts(mailbox, "pub@example.org")[1].text
    assert "/newsroom" in text and "25%" in text, text  # 1 of 4 sent: 25 %, over 0.1 %
    code, said = deliver(port, arf(sent["greta@example.de"]))  # another complaint: still over, mailed once
    assert (code, said) == (250, "OK arf: 1 applied")
    assert "list world: complained" in shown(program, "greta@example.de")
    time.sleep(1)
    assert len(alerts(mailbox, "pub@example.org")) == 2
    assert alerts(mailbox, "ed@example.org") == []

    # what is no report is ignored, a broken one refused with its reason; the listener goes on
    assert deliver(port, b"From: a@example.net\r\nSubject: out of office\r\n\r\nback monday\r\n") == (250, "OK none: 0 applied")
    broken = dsn(sent["ada@example.org"], "failed", "5.1.1", "x").replace(b"Content-Type: message/delivery-status", b"Content-Type: text/plain")
    code, said = deliver(port, broken)
    assert code == 550 and "without a message/delivery-status part" in said
    log = (program.root / "bounces.log").read_text()
    assert "Traceback" not in log and "out of office" in log, log


def test_serve_without_a_bounce_address_says_so(program: Program):
    done = program.run("bounces", "serve", "--listen", f"127.0.0.1:{free_port()}", check=False)
    assert done.returncode == 1 and "delivery.bounces.address" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("listen", ["nowhere", "127.0.0.1:http", "127.0.0.1:70000"])
def test_a_bad_listen_address_is_named(program: Program, listen: str):
    done = program.run("bounces", "serve", "--listen", listen, check=False)
    assert done.returncode == 1 and f"--listen {listen!r}" in done.stderr, done.stderr


@pytest.mark.parametrize("processed", ["seen", "delete"])
def test_fetch_reads_the_bounce_mailbox_over_imap(program: Program, mailbox: Mailbox, processed: str):
    with dovecot() as imap:
        program.use_smtp(mailbox)
        imap_settings = {"host": "127.0.0.1", "port": imap.port, "username": imap.user, "security": "none",
                         "processed": processed}  # fmt: skip
        program.configure(delivery={"bounces": {"address": BOUNCES, "imap": imap_settings}})
        program.run("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e")
        edition_id = program.approved_edition()
        program.run("send", str(edition_id))
        sent = {m.to: m for m in mailbox.mails() if m.list_id == "world"}
        imap.append(arf(sent["grace@example.org"]))
        imap.append(dsn(sent["ada@example.org"], "failed", "5.1.1", "550 5.1.1 User unknown"))
        imap.append(b"From: a@example.net\r\nSubject: out of office\r\n\r\nback monday\r\n")
        imap.append(dsn(sent["jean@example.fr"], "failed", "5.1.1", "x").replace(b"message/delivery-status", b"text/plain"))

        refused = program.run("bounces", "fetch", check=False)  # the password is not in the environment
        assert refused.returncode == 1 and "DIGEST_IMAP_PASSWORD" in refused.stderr, refused.stderr
        program.env["DIGEST_IMAP_PASSWORD"] = "not the password"
        refused = program.run("bounces", "fetch", check=False)
        assert refused.returncode == 1 and f"imap 127.0.0.1:{imap.port}" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr and "not the password" not in refused.stderr + refused.stdout

        program.env["DIGEST_IMAP_PASSWORD"] = imap.password
        done = program.run("bounces", "fetch").stdout
        assert "4 message(s) read: 2 event(s) applied, 1 ignored, 1 malformed" in done, done
        assert "suppressed: complaint" in shown(program, "grace@example.org")
        assert "suppressed: bounce" in shown(program, "ada@example.org")
        assert "suppressed" not in shown(program, "jean@example.fr")
        flags = imap.flags()
        if processed == "seen":
            assert len(flags) == 4 and all("\\Seen" in f for f in flags), flags
        else:  # the malformed one is kept, seen, for a person to look at
            assert len(flags) == 1 and "\\Seen" in flags[0], flags
        again = program.run("bounces", "fetch").stdout
        assert "0 message(s) read" in again, again


def test_fetch_without_a_mailbox_says_so(program: Program):
    done = program.run("bounces", "fetch", check=False)
    assert done.returncode == 1 and "delivery.bounces.imap.host" in done.stderr and "Traceback" not in done.stderr


def test_the_outbox_names_the_bounce_address_for_the_relay_that_picks_it_up(program: Program):
    program.configure(delivery={"bounces": {"address": BOUNCES}})  # the demo's file backend
    program.run("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e")
    program.run("send", str(program.approved_edition()))
    files = sorted((program.root / "outbox").glob("*.eml"))
    assert len(files) == 4
    assert all(f.read_bytes().startswith(f"Return-Path: <{BOUNCES}>\n".encode()) for f in files)
    mails = outbox_mails(program)
    assert {m.to for m in mails} == set(CONFIRMED) and all(m.message["Message-ID"] for m in mails)


def test_a_send_the_relay_refuses_too_often_alerts_the_publisher_when_it_is_done(program: Program):
    """No report comes back for a message the relay refused at the send: the send that finishes the
    edition finds its bounce rate over the limit and mails the alert itself, once."""
    with running_mailbox(refuse={"ada@example.org"}) as mailbox:
        program.use_smtp(mailbox)
        program.run("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e")
        program.run("users", "create", "pub@example.org", "--role", "publisher", "--name", "Pub", input=PASSWORD + "\n")
        edition_id = program.approved_edition()
        done = program.run("send", str(edition_id), check=False)
        assert done.returncode == 1 and "failed 1" in done.stdout, done.stdout  # a row failed: said, and exit 1
        [(status,)] = program.query(
            "SELECT status FROM deliveries WHERE edition_id = :e AND email = 'ada@example.org'", e=edition_id
        )
        assert status == "failed"
        [alert] = alerts(mailbox, "pub@example.org")
        assert "bounces over the limit" in str(alert.message["Subject"]) and "/newsroom" in alert.text
        program.run("editions", "resume", str(edition_id), check=False)  # nothing left to send: no second alert
        assert len(alerts(mailbox, "pub@example.org")) == 1
