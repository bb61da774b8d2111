"""The sendgrid backend against the stand-in: what goes over the wire, and what each answer does."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest
from sqlalchemy import insert, select

from digest.deliver.backends.sendgrid import SendGridBackend
from digest.deliver.message import Outgoing, message_id
from digest.deliver.send import send_edition
from digest.errors import BackendError
from digest.render import MessageTemplate
from digest.store.deliveries import delivery_counts
from digest.store.tables import deliveries
from subscribers import tables as sub
from tests.servers.sendgrid import Server, StandIn
from tests.servers.support import add_edition, add_subscribers, address, make_links, make_settings
from tests.servers.tls import self_signed

KEY = "SG.test-key"
FAST_RETRY = {"attempts": 4, "base_delay": 0.01, "max_delay": 0.05, "defer_seconds": 0.2}


def backend(url: str, **kw) -> SendGridBackend:
    return SendGridBackend(KEY, url, retry=make_settings(retry=FAST_RETRY).delivery.retry, timeout=5, **kw)


def test_one_request_per_thousand_with_personal_substitutions(engine):
    settings = make_settings(batch_size=1000, retry=FAST_RETRY)
    add_subscribers(engine, 2500)
    edition_id = add_edition(engine, settings)
    with Server(StandIn(KEY)) as server:
        sg = backend(server.url)
        report = send_edition(engine, settings, edition_id, sg, make_links())
        stand_in = server.stand_in
    assert report.status == "sent"
    assert report.counts == {"sent": 2500}
    assert stand_in.requests == 3  # 1000 + 1000 + 500
    assert stand_in.stats()["unique"] == 2500 and stand_in.stats()["duplicates"] == 0
    # each recipient's copy carries their own name and unsubscribe link, in both parts
    first = stand_in.accepted[0]
    html, text = stand_in.rendered(first.email)
    with engine.connect() as conn:
        row = conn.execute(select(deliveries).where(deliveries.c.email == first.email)).one()
    unsubscribe = first.headers["List-Unsubscribe"].strip("<>")
    claim = make_links().tokens.verify("unsubscribe", unsubscribe.rsplit("/", 1)[1])
    with engine.connect() as conn:
        nonce = conn.execute(select(sub.subscribers.c.token_nonce).where(sub.subscribers.c.id == row.subscriber_id)).scalar()
    assert (claim.subject_id, claim.list_id, claim.nonce) == (row.subscriber_id, "world", nonce) and nonce
    assert unsubscribe in text and unsubscribe in html
    assert f"Hello Reader {first.email[6:12]}," in text
    assert "@@" not in html and "@@" not in text
    assert first.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert first.custom_args == {"edition_id": str(edition_id), "delivery_id": str(row.id)}
    assert row.message_id == message_id(edition_id, row.id, "digest@example.org")


def test_html_gets_escaped_values_and_text_raw_ones(sqlite_engine):
    settings = make_settings()
    add_subscribers(sqlite_engine, 1)
    with sqlite_engine.begin() as conn:
        conn.execute(sub.subscribers.update().values(name="Ann <O'Brien> & co"))
    edition_id = add_edition(sqlite_engine, settings)
    with Server(StandIn(KEY)) as server:
        send_edition(sqlite_engine, settings, edition_id, backend(server.url), make_links())
        html, text = server.stand_in.rendered(address(0))
    assert "Hello Ann <O'Brien> & co," in text
    assert "Ann &lt;O&#x27;Brien&gt; &amp; co" in html


def test_rate_limit_waits_until_reset_and_5xx_and_dropped_connections_are_retried(sqlite_engine):
    settings = make_settings(batch_size=100, retry=FAST_RETRY)
    add_subscribers(sqlite_engine, 300)
    edition_id = add_edition(sqlite_engine, settings)
    waits = []
    with Server(StandIn(KEY, reset_in=7)) as server:
        server.stand_in.plan.extend([429, 500, "drop"])
        sg = backend(server.url, sleep=waits.append)
        report = send_edition(sqlite_engine, settings, edition_id, sg, make_links())
        stats = server.stand_in.stats()
    assert report.counts == {"sent": 300}
    assert stats["answers"] == {"429": 1, "500": 1, "0": 1, "202": 3}
    assert 6 <= waits[0] <= 7.1  # until X-RateLimit-Reset, not a guess
    assert all(w <= FAST_RETRY["max_delay"] for w in waits[1:])
    assert stats["duplicates"] == 0


def test_persistent_5xx_defers_the_rows_then_a_later_run_sends_them(sqlite_engine):
    settings = make_settings(batch_size=50, retry=FAST_RETRY, wait_for_deferred=0)
    add_subscribers(sqlite_engine, 50)
    edition_id = add_edition(sqlite_engine, settings)
    with Server(StandIn(KEY)) as server:
        server.stand_in.plan.extend([500] * 4)
        first = send_edition(sqlite_engine, settings, edition_id, backend(server.url), make_links())
        assert first.status == "sending" and first.counts == {"deferred": 50}
        assert first.next_retry is not None
        with sqlite_engine.connect() as conn:
            errors = set(conn.execute(select(deliveries.c.error)).scalars())
        assert errors == {"sendgrid 500: internal error"}
        # the next run waits for the deferral to fall due, then sends
        settings = make_settings(batch_size=50, retry=FAST_RETRY, wait_for_deferred=5)
        second = send_edition(sqlite_engine, settings, edition_id, backend(server.url), make_links())
        stats = server.stand_in.stats()
    assert second.status == "sent" and second.counts == {"sent": 50}
    assert stats["accepted"] == 50 and stats["duplicates"] == 0


def test_a_request_level_400_is_split_to_isolate_the_bad_recipient(sqlite_engine):
    settings = make_settings(batch_size=64, retry=FAST_RETRY)
    add_subscribers(sqlite_engine, 63)
    with sqlite_engine.begin() as conn:  # an address the provider refuses without saying which one
        sid = conn.execute(
            insert(sub.subscribers).values(email="x@bad.example", email_key="x@bad.example", attributes={},
                                           created_at=conn.execute(select(sub.subscribers.c.created_at)).scalar())
        ).inserted_primary_key[0]
        conn.execute(insert(sub.memberships).values(subscriber_id=sid, list_id="world", status="confirmed",
                                                    status_changed_at=conn.execute(select(sub.subscribers.c.created_at)).scalar(),
                                                    created_at=conn.execute(select(sub.subscribers.c.created_at)).scalar()))
    edition_id = add_edition(sqlite_engine, settings)
    with Server(StandIn(KEY, reject={"x@bad.example"})) as server:
        report = send_edition(sqlite_engine, settings, edition_id, backend(server.url), make_links())
        stats = server.stand_in.stats()
    assert report.counts == {"sent": 63, "failed": 1}
    with sqlite_engine.connect() as conn:
        failed = conn.execute(select(deliveries).where(deliveries.c.status == "failed")).one()
    assert failed.email == "x@bad.example" and "400" in failed.error and "refused" in failed.error
    assert stats["accepted"] == 63 and stats["duplicates"] == 0
    assert stats["requests"] <= 2 * 7 + 1  # a binary search, not one request per recipient


def test_a_400_naming_the_personalization_fails_only_that_one(sqlite_engine):
    settings = make_settings(retry=FAST_RETRY)
    add_subscribers(sqlite_engine, 10)
    with sqlite_engine.begin() as conn:
        conn.execute(sub.subscribers.update().where(sub.subscribers.c.email == address(4)).values(email="not-an-address"))
    edition_id = add_edition(sqlite_engine, settings)
    with Server(StandIn(KEY)) as server:
        report = send_edition(sqlite_engine, settings, edition_id, backend(server.url), make_links())
        stats = server.stand_in.stats()
    assert report.counts == {"sent": 9, "failed": 1}
    assert stats["requests"] == 2


@pytest.mark.parametrize("in_flight", [1, 4])
def test_a_wrong_key_stops_the_send_and_loses_nothing(sqlite_engine, in_flight):
    """With several batches in flight, each is recorded before the send stops: none is left `sending`."""
    settings = make_settings(retry=FAST_RETRY, batch_size=5, in_flight=in_flight)
    add_subscribers(sqlite_engine, 20)
    edition_id = add_edition(sqlite_engine, settings)
    with Server(StandIn(KEY)) as server:
        wrong = SendGridBackend("SG.wrong", server.url, retry=settings.delivery.retry)
        with pytest.raises(BackendError, match="401"):
            send_edition(sqlite_engine, settings, edition_id, wrong, make_links())
        with sqlite_engine.connect() as conn:
            assert delivery_counts(conn, edition_id) == {"pending": 20}
        report = send_edition(sqlite_engine, settings, edition_id, backend(server.url), make_links())
    assert report.counts == {"sent": 20}


@pytest.mark.parametrize("in_flight", [1, 4])
def test_batches_in_flight_hide_the_providers_latency(engine, in_flight):
    """delivery.in_flight batches are with the provider at once, and never more: at 0.2 s a request,
    8 batches one by one take 1.6 s; four at a time, two round trips. Everyone gets it once."""
    settings = make_settings(batch_size=50, in_flight=in_flight)
    add_subscribers(engine, 400)
    edition_id = add_edition(engine, settings)
    with Server(StandIn(KEY, latency=0.2)) as server:
        started = time.monotonic()
        report = send_edition(engine, settings, edition_id, backend(server.url), make_links())
        elapsed = time.monotonic() - started
        stats = server.stand_in.stats()
    assert report.counts == {"sent": 400} and stats["unique"] == 400 and stats["duplicates"] == 0
    assert stats["most_in_flight"] == in_flight
    assert elapsed >= 8 * 0.2 if in_flight == 1 else elapsed < 8 * 0.2


def test_sandbox_mode_is_validated_not_sent(sqlite_engine):
    settings = make_settings()
    add_subscribers(sqlite_engine, 5)
    edition_id = add_edition(sqlite_engine, settings)
    with Server(StandIn(KEY)) as server:
        report = send_edition(sqlite_engine, settings, edition_id, backend(server.url, sandbox=True), make_links())
        stats = server.stand_in.stats()
    assert report.counts == {"sent": 5}
    assert stats["sandboxed"] == 5 and stats["accepted"] == 0


def test_fault_injection_every_recipient_gets_exactly_one_accepted_message(sqlite_engine):
    """20% of requests answered 429 or 500 at random: nobody is missed, nobody gets two."""
    settings = make_settings(batch_size=100, retry={**FAST_RETRY, "attempts": 6}, wait_for_deferred=10)
    add_subscribers(sqlite_engine, 3000)
    edition_id = add_edition(sqlite_engine, settings)
    with Server(StandIn(KEY, fault_rate=0.2, seed=7, reset_in=0)) as server:
        report = send_edition(sqlite_engine, settings, edition_id, backend(server.url), make_links())
        stand_in = server.stand_in
    faults = stand_in.answers[429] + stand_in.answers[500]
    assert faults >= 3  # the faults did happen
    assert report.status == "sent" and report.counts == {"sent": 3000}
    per_address = Counter(a.email for a in stand_in.accepted)
    assert set(per_address) == {address(i) for i in range(3000)}
    assert set(per_address.values()) == {1}


def test_the_stand_in_enforces_sendgrids_limits():
    def body(addresses):
        return {"personalizations": [{"to": [{"email": a}]} for a in addresses], "from": {"email": "d@example.org"},
                "subject": "s", "content": [{"type": "text/plain", "value": "t"}]}

    with Server(StandIn(KEY)) as server:
        post = f"{server.url}/v3/mail/send"
        auth = {"Authorization": f"Bearer {KEY}"}
        assert httpx.post(post, json=body(["a@example.net"]), headers={"Authorization": "Bearer nope"}).status_code == 401
        assert httpx.post(post, json=body([address(i) for i in range(1001)]), headers=auth).status_code == 400
        duplicate = httpx.post(post, json=body(["a@example.net", "A@example.net"]), headers=auth)
        assert duplicate.status_code == 400 and duplicate.json()["errors"][0]["field"] == "personalizations.1.to.0.email"
        big = body(["a@example.net"])
        big["content"][0]["value"] = "x" * (30 * 1024 * 1024)
        assert httpx.post(post, json=big, headers=auth).status_code == 413
        assert httpx.post(post, json=body([address(i) for i in range(1000)]), headers=auth).status_code == 202


def test_the_same_address_twice_in_a_batch_goes_in_two_requests():
    content = MessageTemplate("s", "<p>@@x.name@@</p>", "@@x.name@@", {"name": "@@x.name@@"})

    def message(i, email):
        return Outgoing(str(i), email, None, "d@example.org", "D", None, content, {"name": "n"}, "world",
                        f"<{i}@example.org>", "https://digest.example.org/u/t", delivery_id=i, edition_id=1)

    with Server(StandIn(KEY)) as server:
        results = backend(server.url).send([message(1, "ann@example.net"), message(2, "Ann@example.net"),
                                            message(3, "bob@example.net")])
        stand_in = server.stand_in
    assert [r.status for r in results] == ["accepted"] * 3
    assert stand_in.requests == 2 and stand_in.answers == {202: 2}


def test_a_timeout_is_retried_and_the_send_completes(sqlite_engine):
    """A request that times out may still have been taken: it is retried (SendGrid has no idempotency
    key), so that one request's recipients are the only possible duplicates."""
    settings = make_settings(batch_size=100, retry=FAST_RETRY)
    add_subscribers(sqlite_engine, 300)
    edition_id = add_edition(sqlite_engine, settings)
    with Server(StandIn(KEY, stall_at=2)) as server:
        sg = SendGridBackend(KEY, server.url, retry=settings.delivery.retry, timeout=0.5)
        report = send_edition(sqlite_engine, settings, edition_id, sg, make_links())
        stats = server.stand_in.stats()
    assert report.counts == {"sent": 300} and sg.requests == 4
    assert stats["unique"] == 300 and stats["duplicates"] == 100


def test_an_exhausted_rate_limit_is_waited_out_before_the_next_request(sqlite_engine):
    settings = make_settings(batch_size=100, retry=FAST_RETRY)
    add_subscribers(sqlite_engine, 500)
    edition_id = add_edition(sqlite_engine, settings)
    with Server(StandIn(KEY, rate_limit=2)) as server:  # two requests a second
        started = time.monotonic()
        report = send_edition(sqlite_engine, settings, edition_id, backend(server.url), make_links())
        elapsed = time.monotonic() - started
        stats = server.stand_in.stats()
    assert report.counts == {"sent": 500}
    assert stats["answers"] == {"202": 5}  # no 429: the backend waited for the reset instead
    assert elapsed >= 1.0  # 5 requests at 2 a second span at least two clock seconds


def test_an_api_host_with_an_untrusted_certificate_stops_the_send(sqlite_engine, tmp_path):
    server_tls, _ = self_signed(tmp_path)
    settings = make_settings(retry=FAST_RETRY)
    add_subscribers(sqlite_engine, 3)
    edition_id = add_edition(sqlite_engine, settings)
    with Server(StandIn(KEY), tls=server_tls) as server:
        with pytest.raises(BackendError, match="TLS failed"):
            send_edition(sqlite_engine, settings, edition_id, backend(server.url), make_links())
        assert server.stand_in.stats()["accepted"] == 0
    with sqlite_engine.connect() as conn:
        assert delivery_counts(conn, edition_id) == {"pending": 3}
