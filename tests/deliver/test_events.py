"""POST /webhooks/sendgrid over real HTTP: signature checks, effects on subscribers, idempotency, counts."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from digest.deliver.backends.sendgrid import PUBLIC_KEY_ENV, SendGridBackend
from digest.deliver.send import send_edition
from digest.store.events import event_counts
from digest.store.tables import deliveries
from digest.web.app import create_app
from digest.web.deps import Site
from subscribers import tables as sub
from subscribers.addresses import address_hash
from tests.servers.sendgrid import Server, StandIn
from tests.servers.support import add_edition, add_subscribers, address, make_links, make_settings
from tests.servers.web import Uvicorn

# The known-good vector from the sendgrid library's own unit test (test/unit/test_eventwebhook.py).
LIBRARY_KEY = (
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g=="
)
LIBRARY_SIGNATURE = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM="
LIBRARY_TIMESTAMP = "1600112502"
LIBRARY_PAYLOAD = json.dumps(
    [
        {
            "email": "hello@world.com",
            "event": "dropped",
            "reason": "Bounced Address",
            "sg_event_id": "ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA",
            "sg_message_id": "LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0",
            "smtp-id": "<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>",
            "timestamp": 1600112492,
        }
    ],
    sort_keys=True,
    separators=(",", ":"),
) + "\r\n"


class Signer:
    """Our own P-256 key, standing in for SendGrid's, to sign test posts."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        der = self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public = base64.b64encode(der).decode()

    def headers(self, raw: bytes, timestamp: str | None = None) -> dict[str, str]:
        timestamp = timestamp or str(int(time.time()))
        signature = self.key.sign(timestamp.encode() + raw, ec.ECDSA(hashes.SHA256()))
        return {
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
            "Content-Type": "application/json",
        }


@pytest.fixture
def sent(engine):
    """An edition sent to 5 readers through the stand-in; returns (engine, edition id, {email: delivery id})."""
    settings = make_settings()
    add_subscribers(engine, 5)
    edition_id = add_edition(engine, settings)
    with Server(StandIn("k")) as server:
        send_edition(engine, settings, edition_id, SendGridBackend("k", server.url), make_links())
    with engine.connect() as conn:
        ids = dict(conn.execute(select(deliveries.c.email, deliveries.c.id)).all())
    return engine, edition_id, ids


@pytest.fixture
def web(sent, monkeypatch):
    signer = Signer()
    monkeypatch.setenv(PUBLIC_KEY_ENV, signer.public)
    app = create_app(Site(sent[0], make_settings(), "events-test-key"))
    with Uvicorn(app) as server:
        yield server.url, signer


def _event(kind: str, email: str, edition_id: int, delivery_id: int, n: int, **extra) -> dict:
    return {"email": email, "event": kind, "sg_event_id": f"ev-{kind}-{n}", "timestamp": 1764400000,
            "edition_id": str(edition_id), "delivery_id": str(delivery_id), **extra}


def _status(conn, email: str) -> str:
    return conn.execute(
        select(sub.memberships.c.status)
        .join(sub.subscribers, sub.subscribers.c.id == sub.memberships.c.subscriber_id)
        .where(sub.subscribers.c.email == email)
    ).scalar()


def _suppressed(conn, email: str) -> str | None:
    return conn.execute(select(sub.suppressions.c.reason).where(sub.suppressions.c.email_hash == address_hash(email))).scalar()


def test_events_update_subscribers_once_and_are_counted(sent, web):
    engine, edition_id, ids = sent
    url, signer = web
    a = [address(i) for i in range(5)]
    events = [
        _event("delivered", a[0], edition_id, ids[a[0]], 1),
        _event("delivered", a[1], edition_id, ids[a[1]], 2),
        _event("open", a[1], edition_id, ids[a[1]], 3),
        _event("click", a[1], edition_id, ids[a[1]], 4, url="https://news.example.org/1"),
        _event("bounce", a[2], edition_id, ids[a[2]], 5, type="bounce", reason="550 no such user"),
        _event("spamreport", a[3], edition_id, ids[a[3]], 6),
        _event("unsubscribe", a[4], edition_id, ids[a[4]], 7),
        _event("bounce", a[0], edition_id, ids[a[0]], 8, type="blocked", reason="421 try later"),
    ]
    raw = json.dumps(events).encode()
    first = httpx.post(f"{url}/webhooks/sendgrid", content=raw, headers=signer.headers(raw))
    assert first.status_code == 200 and first.json() == {"received": 8, "applied": 8}
    again = httpx.post(f"{url}/webhooks/sendgrid", content=raw, headers=signer.headers(raw))
    assert again.json() == {"received": 8, "applied": 0}  # SendGrid retries: nothing happens twice
    with engine.connect() as conn:
        assert event_counts(conn, edition_id) == {"delivered": 2, "opened": 1, "clicked": 1, "bounced": 2,
                                                  "complained": 1, "unsubscribed": 1}  # one kind of event, whatever the provider
        assert _status(conn, a[2]) == "bounced" and _suppressed(conn, a[2]) == "bounce"
        assert _status(conn, a[3]) == "complained" and _suppressed(conn, a[3]) == "complaint"
        assert _status(conn, a[4]) == "unsubscribed" and _suppressed(conn, a[4]) is None
        assert _status(conn, a[0]) == "confirmed" and _suppressed(conn, a[0]) is None  # blocked is not a bounce
        rows = dict(conn.execute(select(deliveries.c.email, deliveries.c.status)).all())
        bounced = conn.execute(select(deliveries.c.error).where(deliveries.c.email == a[2])).scalar()
        consent = conn.execute(select(sub.consent_events.c.status, sub.consent_events.c.method)
                               .where(sub.consent_events.c.origin.like("sendgrid%"))).all()
    assert sorted(consent) == [("bounced", "provider"), ("complained", "provider"), ("unsubscribed", "provider")]
    assert rows == {a[0]: "sent", a[1]: "sent", a[2]: "failed", a[3]: "sent", a[4]: "sent"}
    assert bounced == "sendgrid bounced: 550 no such user"


def test_unsigned_or_badly_signed_posts_get_403_and_change_nothing(sent, web):
    engine, edition_id, ids = sent
    url, signer = web
    raw = json.dumps([_event("spamreport", address(0), edition_id, ids[address(0)], 1)]).encode()
    changed = raw.replace(b"spamreport", b"unsubscribe")
    garbage = {**signer.headers(raw), "X-Twilio-Email-Event-Webhook-Signature": "not base64 at all!"}
    no_timestamp = {k: v for k, v in signer.headers(raw).items() if not k.endswith("Timestamp")}
    attempts = {
        "unsigned": (raw, {"Content-Type": "application/json"}),
        "signed over other bytes": (raw, signer.headers(raw + b" ")),
        "signed by another key": (raw, Signer().headers(raw)),
        "body changed after signing": (changed, signer.headers(raw)),
        "timestamp changed after signing": (raw, {**signer.headers(raw), "X-Twilio-Email-Event-Webhook-Timestamp": "1"}),
        "garbage signature": (raw, garbage),
        "no timestamp": (raw, no_timestamp),
    }
    for what, (body, headers) in attempts.items():
        answer = httpx.post(f"{url}/webhooks/sendgrid", content=body, headers=headers)
        assert answer.status_code == 403, what
    with engine.connect() as conn:
        assert event_counts(conn, edition_id) == {}
        assert _status(conn, address(0)) == "confirmed" and _suppressed(conn, address(0)) is None
    assert httpx.post(f"{url}/webhooks/sendgrid", content=raw, headers=signer.headers(raw)).status_code == 200


def test_the_librarys_known_good_vector_is_accepted_and_applied(sent, web, monkeypatch):
    engine = sent[0]
    url, _ = web
    monkeypatch.setenv(PUBLIC_KEY_ENV, LIBRARY_KEY)
    headers = {"X-Twilio-Email-Event-Webhook-Signature": LIBRARY_SIGNATURE,
               "X-Twilio-Email-Event-Webhook-Timestamp": LIBRARY_TIMESTAMP}
    answer = httpx.post(f"{url}/webhooks/sendgrid", content=LIBRARY_PAYLOAD.encode(), headers=headers)
    assert answer.status_code == 200 and answer.json() == {"received": 1, "applied": 1}
    with engine.connect() as conn:  # a dropped "Bounced Address": the address is suppressed from now on
        assert _suppressed(conn, "hello@world.com") == "bounce"
    reformatted = json.dumps(json.loads(LIBRARY_PAYLOAD)).encode()  # same JSON, other bytes: refused
    assert httpx.post(f"{url}/webhooks/sendgrid", content=reformatted, headers=headers).status_code == 403


def test_an_event_for_an_idn_address_reaches_its_row_and_its_suppression(engine, monkeypatch):
    """The address went out as user@xn--exmple-cua.com; the event names it so; we keep user@exämple.com."""
    from tests.servers.support import add_members

    settings = make_settings()
    add_members(engine, ["user@exämple.com"])
    edition_id = add_edition(engine, settings)
    with Server(StandIn("k")) as server:
        send_edition(engine, settings, edition_id, SendGridBackend("k", server.url), make_links())
        [accepted] = server.stand_in.accepted
    signer = Signer()
    monkeypatch.setenv(PUBLIC_KEY_ENV, signer.public)
    app = create_app(Site(engine, settings, "events-test-key"))
    event = {"email": accepted.email, "event": "bounce", "type": "bounce", "reason": "550 unknown",
             "sg_event_id": "ev-idn", **accepted.custom_args}
    raw = json.dumps([event]).encode()
    with Uvicorn(app) as server:
        assert httpx.post(f"{server.url}/webhooks/sendgrid", content=raw, headers=signer.headers(raw)).status_code == 200
    with engine.connect() as conn:
        assert accepted.email == "user@xn--exmple-cua.com"
        assert _status(conn, "user@exämple.com") == "bounced" and _suppressed(conn, "user@exämple.com") == "bounce"
        assert conn.execute(select(deliveries.c.status)).scalar() == "failed"


def test_a_post_of_a_thousand_events_twice_at_once_is_applied_once(sent, web):
    """SendGrid posts up to 1,000 events at a time and may post them again while the first post is
    being applied: the two posts together apply each event once, and a bounce's effects happen once."""
    from concurrent.futures import ThreadPoolExecutor

    engine, edition_id, ids = sent
    url, signer = web
    a = [address(i) for i in range(5)]
    events = [_event(("delivered", "open", "click")[n % 3], a[n % 5], edition_id, ids[a[n % 5]], n)
              for n in range(1000)]  # fmt: skip
    events[500] = _event("bounce", a[2], edition_id, ids[a[2]], 500, type="bounce", reason="550 gone")
    events.append(events[10])  # the same event twice in one post
    raw = json.dumps(events).encode()
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: httpx.post(f"{url}/webhooks/sendgrid", content=raw,
                                                     headers=signer.headers(raw), timeout=60), range(2)))  # fmt: skip
    assert [r.status_code for r in answers] == [200, 200]
    assert sorted(r.json()["applied"] for r in answers) == [0, 1000]
    with engine.connect() as conn:
        counts = event_counts(conn, edition_id)
        consent = conn.execute(select(sub.consent_events.c.status)
                               .where(sub.consent_events.c.origin.like("sendgrid%"))).scalars().all()
        failed = conn.execute(select(deliveries.c.email).where(deliveries.c.status == "failed")).scalars().all()
        suppressed = _suppressed(conn, a[2])
    assert sum(counts.values()) == 1000 and counts["bounced"] == 1
    assert consent == ["bounced"] and failed == [a[2]] and suppressed == "bounce"


def test_a_complaint_rate_over_the_limit_alerts_the_lists_publishers_once(sent, monkeypatch):
    from digest.accounts.service import Accounts
    from digest.domain import Actor, Role
    from tests.servers import smtp

    engine, edition_id, ids = sent
    accounts = Accounts(engine, "events-test-key")
    for email, role, lists in [("pub@example.org", Role.PUBLISHER, None), ("boss@example.org", Role.ADMIN, None),
                               ("ed@example.org", Role.EDITOR, None),
                               ("elsewhere@example.org", Role.PUBLISHER, ("other",))]:  # fmt: skip
        accounts.create_user(email, email, role, None, Actor("test"), lists)
    sink = smtp.Sink()
    relay = smtp.serve(sink)
    signer = Signer()
    monkeypatch.setenv(PUBLIC_KEY_ENV, signer.public)
    settings = make_settings(backend="smtp", smtp={"host": "127.0.0.1", "port": relay.port, "security": "none"})
    a = [address(i) for i in range(5)]
    try:
        with Uvicorn(create_app(Site(engine, settings, "events-test-key"))) as server:
            def post(*events: dict) -> None:
                raw = json.dumps(list(events)).encode()
                assert httpx.post(f"{server.url}/webhooks/sendgrid", content=raw, headers=signer.headers(raw)).status_code == 200

            post(*(_event("delivered", x, edition_id, ids[x], n) for n, x in enumerate(a)))
            assert sink.messages == []  # deliveries alert nobody
            post(_event("spamreport", a[3], edition_id, ids[a[3]], 10))  # 1 of 5: 20 %, over 0.1 %
            post(_event("spamreport", a[4], edition_id, ids[a[4]], 11))  # still over: no second alert
            post(_event("spamreport", a[4], edition_id, ids[a[4]], 11))
    finally:
        relay.stop()
    mailed = sorted(rcpt for _, [rcpt], _ in sink.messages)
    assert mailed == ["boss@example.org", "pub@example.org"]  # publishers and admins of the list only
    assert all(b"complaints over the limit" in raw for _, _, raw in sink.messages)
