"""The smtp backend against an aiosmtpd sink on 127.0.0.1: pool, per-connection limit, TLS, AUTH, errors."""

from __future__ import annotations

import ssl
from collections import Counter
from email import message_from_bytes, policy

import pytest
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select, update

from digest.config import RetrySettings
from digest.deliver.backends.smtp import Relay, SmtpBackend
from digest.deliver.send import send_edition
from digest.errors import BackendError
from digest.store.tables import deliveries
from tests.servers.smtp import Sink, free_port, serve
from tests.servers.support import add_edition, add_subscribers, address, make_links, make_settings
from tests.servers.tls import self_signed

FAST_RETRY = RetrySettings(attempts=4, base_delay=0.01, max_delay=0.05, defer_seconds=60)


def test_a_pool_sends_each_recipient_one_complete_message(sqlite_engine):
    settings = make_settings(batch_size=100)
    add_subscribers(sqlite_engine, 200)
    edition_id = add_edition(sqlite_engine, settings)
    sink = Sink(latency=0.01)
    controller = serve(sink)
    try:
        smtp = SmtpBackend(Relay("127.0.0.1", controller.port, "none"), pool_size=4, messages_per_connection=10,
                           retry=FAST_RETRY)
        report = send_edition(sqlite_engine, settings, edition_id, smtp, make_links())
    finally:
        controller.stop()
    assert report.status == "sent" and report.counts == {"sent": 200}
    assert set(sink.received) == {address(i) for i in range(200)} and set(sink.received.values()) == {1}
    assert sink.most_open == 4  # the pool did work in parallel
    assert sink.most_per_session == 10 and sink.sessions == smtp.connections >= 20
    mail_from, rcpt, raw = sink.messages[0]
    msg = message_from_bytes(raw, policy=policy.default)
    assert mail_from == "digest@example.org" and rcpt == [msg["To"].addresses[0].addr_spec]
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["List-Unsubscribe"].startswith("<https://digest.example.org/u/")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = msg.get_body(("plain",)).get_content()
    assert f"Hello Reader {rcpt[0][6:12]}," in text and "@@" not in text


def test_550_fails_for_good_and_451_is_retried(sqlite_engine):
    settings = make_settings()
    add_subscribers(sqlite_engine, 10)
    edition_id = add_edition(sqlite_engine, settings)
    sink = Sink(refuse={address(3)}, busy=Counter({address(5): 2}))
    controller = serve(sink)
    try:
        smtp = SmtpBackend(Relay("127.0.0.1", controller.port, "none"), pool_size=2, retry=FAST_RETRY)
        report = send_edition(sqlite_engine, settings, edition_id, smtp, make_links())
    finally:
        controller.stop()
    assert report.counts == {"sent": 9, "failed": 1}
    assert sink.received[address(5)] == 1 and address(3) not in sink.received
    with sqlite_engine.connect() as conn:
        failed = conn.execute(select(deliveries).where(deliveries.c.status == "failed")).one()
    assert failed.email == address(3) and failed.error.startswith("smtp 550")


def test_a_relay_that_is_down_defers_the_rows(sqlite_engine):
    settings = make_settings(wait_for_deferred=0)
    add_subscribers(sqlite_engine, 5)
    edition_id = add_edition(sqlite_engine, settings)
    smtp = SmtpBackend(Relay("127.0.0.1", free_port(), "none", timeout=2), retry=FAST_RETRY)
    report = send_edition(sqlite_engine, settings, edition_id, smtp, make_links())
    assert report.status == "sending" and report.counts == {"deferred": 5} and report.next_retry


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login, auth_data.password) == (b"digest", b"s3cret")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS: it is TLS
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_and_authentication(sqlite_engine, tmp_path, security):
    server_tls, client_tls = self_signed(tmp_path)
    settings = make_settings()
    add_subscribers(sqlite_engine, 6)
    edition_id = add_edition(sqlite_engine, settings)
    sink = Sink()
    # aiosmtpd counts only STARTTLS as TLS for AUTH, so with implicit TLS it must be told AUTH is fine
    tls = {"ssl_context": server_tls, "auth_require_tls": False} if security == "tls" else {"tls_context": server_tls, "require_starttls": True}
    controller = serve(sink, authenticator=_authenticator, auth_required=True, **tls)
    try:
        wrong = SmtpBackend(Relay("127.0.0.1", controller.port, security, "digest", "nope", 5, client_tls))
        with pytest.raises(BackendError, match="login refused: .*535"):
            send_edition(sqlite_engine, settings, edition_id, wrong, make_links())
        assert not sink.received
        right = SmtpBackend(Relay("127.0.0.1", controller.port, security, "digest", "s3cret", 5, client_tls), pool_size=2)
        report = send_edition(sqlite_engine, settings, edition_id, right, make_links())
    finally:
        controller.stop()
    assert report.counts == {"sent": 6} and len(sink.received) == 6


def test_a_recipient_still_refused_for_now_after_the_retries_is_deferred_then_sent(sqlite_engine):
    settings = make_settings(wait_for_deferred=0)
    add_subscribers(sqlite_engine, 8)
    edition_id = add_edition(sqlite_engine, settings)
    sink = Sink(busy=Counter({address(2): FAST_RETRY.attempts}))  # one 451 more than the retries take
    controller = serve(sink)
    try:
        smtp = SmtpBackend(Relay("127.0.0.1", controller.port, "none"), pool_size=3, retry=FAST_RETRY)
        first = send_edition(sqlite_engine, settings, edition_id, smtp, make_links())
        assert first.counts == {"sent": 7, "deferred": 1} and first.status == "sending"
        with sqlite_engine.begin() as conn:  # let the deferral fall due now
            conn.execute(update(deliveries).where(deliveries.c.status == "deferred").values(deferred_until=first.next_retry.replace(year=2000)))
        second = send_edition(sqlite_engine, settings, edition_id, smtp, make_links())
    finally:
        controller.stop()
    assert second.status == "sent" and second.counts == {"sent": 8}
    assert set(sink.received.values()) == {1} and len(sink.received) == 8


def test_an_untrusted_certificate_or_a_relay_without_starttls_stops_the_send(sqlite_engine, tmp_path):
    server_tls, _ = self_signed(tmp_path)
    settings = make_settings()
    add_subscribers(sqlite_engine, 3)
    edition_id = add_edition(sqlite_engine, settings)
    untrusting = ssl.create_default_context()  # the relay's self-signed certificate is not in it
    for options, security, expected in [
        ({"ssl_context": server_tls}, "tls", "TLS failed"),
        ({"tls_context": server_tls}, "starttls", "TLS failed"),
        ({}, "starttls", "STARTTLS extension not supported"),
    ]:
        sink = Sink()
        controller = serve(sink, **options)
        try:
            smtp = SmtpBackend(Relay("127.0.0.1", controller.port, security, timeout=5, tls_context=untrusting))
            with pytest.raises(BackendError, match=expected):
                send_edition(sqlite_engine, settings, edition_id, smtp, make_links())
        finally:
            controller.stop()
        assert not sink.received
    with sqlite_engine.connect() as conn:  # nothing was lost or marked: the rows wait for a fixed setup
        assert set(conn.execute(select(deliveries.c.status)).scalars()) == {"pending"}
