"""Internationalized addresses through every backend, and one recipient's failure never stops a send.

What the product does: a domain is IDNA-encoded on the wire (user@exämple.com goes out as
user@xn--exmple-cua.com); an address whose part before the @ is not ASCII goes out with SMTPUTF8
(RFC 6531/6532) where the relay offers it, is written as it is by the outbox, and is refused by the
sendgrid backend; whatever the cause, only that recipient's row fails, with its reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from email import message_from_string, policy
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from digest.config import RetrySettings
from digest.deliver.backends.sendgrid import SendGridBackend
from digest.deliver.backends.smtp import Relay, SmtpBackend
from digest.deliver.send import send_edition
from digest.store.db import open_store
from digest.store.tables import deliveries
from tests.servers.sendgrid import Server, StandIn
from tests.servers.smtp import Sink, serve
from tests.servers.support import ROOT, add_edition, add_members, make_links, make_settings

DIGEST = str(Path(sys.executable).with_name("digest"))
FAST_RETRY = RetrySettings(attempts=2, base_delay=0.01, max_delay=0.02, defer_seconds=60)
ASCII = ["ann@example.net", "bob@example.net"]
IDN = "user@exämple.com"
IDN_WIRE = "user@xn--exmple-cua.com"
UTF8 = "ünï@exämple.com"
UTF8_WIRE = "ünï@xn--exmple-cua.com"


def rows(engine) -> dict[str, tuple[str, str | None]]:
    with engine.connect() as conn:
        return {r.email: (r.status, r.error) for r in conn.execute(select(deliveries))}


def parsed(raw: bytes):
    """The message as a mail client reads it; its headers may be UTF-8 (RFC 6532)."""
    return message_from_string(raw.decode("utf-8"), policy=policy.SMTPUTF8)


def test_digest_send_writes_every_address_to_the_outbox(tmp_path, db_url):
    """The report: `digest subscribers add 'user@exämple.com'` was accepted and `digest send` then died
    with UnicodeEncodeError, every row left `sending`."""
    config = {
        "public_url": "https://digest.example.org",
        "database_url": db_url,
        "templates": str(ROOT / "templates"),
        "lists": [make_settings().lists[0].model_dump(mode="json")],
        "delivery": {"backend": "file", "outbox": str(tmp_path / "outbox")},
    }
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    env = {**os.environ, "DIGEST_CONFIG": str(tmp_path / "config.yaml"), "DIGEST_SECRET_KEY": "k" * 32}
    for email in [*ASCII, IDN, UTF8]:
        added = subprocess.run([DIGEST, "subscribers", "add", email, "--list", "world", "--consent", "test"],
                               env=env, capture_output=True, text=True, timeout=60)
        assert added.returncode == 0, added.stderr
    eng = open_store(db_url)
    edition_id = add_edition(eng, make_settings())
    sent = subprocess.run([DIGEST, "send", str(edition_id)], env=env, capture_output=True, text=True, timeout=120)
    assert sent.returncode == 0, sent.stderr
    assert {status for status, _ in rows(eng).values()} == {"sent"}
    messages = [parsed(p.read_bytes()) for p in sorted((tmp_path / "outbox").glob("*.eml"))]
    eng.dispose()
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == sorted([*ASCII, IDN_WIRE, UTF8_WIRE])
    for message in messages:
        assert "@@" not in message.get_body(("plain",)).get_content()


@pytest.fixture
def mixed(engine):
    """Two ASCII members, one with an IDN domain, one whose part before the @ is not ASCII."""
    settings = make_settings(retry=FAST_RETRY.model_dump(), wait_for_deferred=0)
    add_members(engine, [*ASCII, IDN, UTF8])
    return settings, add_edition(engine, settings)


@pytest.mark.parametrize("offers_smtputf8", [True, False])
def test_smtp_relay_with_and_without_smtputf8(engine, mixed, offers_smtputf8):
    settings, edition_id = mixed
    sink = Sink()
    controller = serve(sink, enable_SMTPUTF8=offers_smtputf8)
    try:
        smtp = SmtpBackend(Relay("127.0.0.1", controller.port, "none"), pool_size=2, retry=FAST_RETRY)
        report = send_edition(engine, settings, edition_id, smtp, make_links())
    finally:
        controller.stop()
    assert report.status == "sent" and "sending" not in report.counts
    received = {rcpt[0]: parsed(raw) for _, rcpt, raw in sink.messages}
    assert received[IDN_WIRE]["To"].addresses[0].addr_spec == IDN_WIRE  # IDNA on the envelope and in To
    assert IDN not in received and set(received) >= set(ASCII)
    assert sink.smtputf8 == ({UTF8_WIRE} if offers_smtputf8 else set())  # SMTPUTF8 only where it is needed
    status = rows(engine)
    if offers_smtputf8:
        assert report.counts == {"sent": 4}
        message = received[UTF8_WIRE]
        assert message["To"].addresses[0].addr_spec == UTF8_WIRE  # RFC 6532: the address in UTF-8
        assert "Hello ünï," in message.get_body(("plain",)).get_content()
    else:
        assert report.counts == {"sent": 3, "failed": 1}
        assert UTF8_WIRE not in received
        state, error = status[UTF8]
        assert state == "failed" and "SMTPUTF8" in error and UTF8 in error


def test_sendgrid_gets_idna_domains_and_never_a_utf8_local_part(engine, mixed):
    settings, edition_id = mixed
    with Server(StandIn("SG.k")) as server:
        sg = SendGridBackend("SG.k", server.url, retry=FAST_RETRY, timeout=5)
        report = send_edition(engine, settings, edition_id, sg, make_links())
        accepted = {a.email for a in server.stand_in.accepted}
    assert report.status == "sent" and report.counts == {"sent": 3, "failed": 1}
    assert accepted == {*ASCII, IDN_WIRE}
    state, error = rows(engine)[UTF8]
    assert state == "failed" and "sendgrid" in error and "not ASCII" in error


class Exploding:
    """A backend with a bug: it raises something no backend should."""

    name = "exploding"

    def send(self, batch):
        raise RuntimeError("a bug in the backend")


def test_an_unexpected_exception_leaves_no_row_sending(engine, mixed):
    settings, edition_id = mixed
    with pytest.raises(RuntimeError, match="a bug in the backend"):
        send_edition(engine, settings, edition_id, Exploding(), make_links())
    status = rows(engine)
    assert {s for s, _ in status.values()} == {"deferred"}  # tried again later, flagged as possibly sent
    assert all("a bug in the backend" in e for _, e in status.values())
