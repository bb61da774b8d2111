"""The editors' preview link of a draft, served by the real app on loopback; drafts stay private."""

from __future__ import annotations

import base64

import httpx
import lxml.html
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from digest import config
from digest.domain import Actor
from digest.editions import service
from digest.ingest.run import ingest
from digest.links import Links
from digest.pipeline.serve import build_app
from subscribers.tokens import Tokens
from tests.conftest import write_config

SECRET = "review-test-secret"


def test_the_review_link_shows_the_draft_and_nothing_else_does(instance, web_server):  # noqa: F811
    url, switch = web_server
    settings = config.load(write_config(instance))
    app = build_app(settings, str(instance / "config.yaml"), SECRET, scheduler=False)
    switch.app = app
    try:
        ingest(app.state.site.engine, settings)
        edition = service.build(app.state.site.engine, settings, "world", actor=Actor.named("test")).edition
        links = Links(url, Tokens(SECRET))
        page = httpx.get(links.review(edition.id, "world"))
        visible = " ".join(lxml.html.document_fromstring(page.text).text_content().split())
        assert page.status_code == 200 and all(item.title in visible for item in edition.items)
        assert page.headers["cache-control"] == "no-store"
        assert httpx.get(f"{url}/archive/{edition.id}").status_code == 404  # a draft is not public

        token = links.review(edition.id, "world").rsplit("/", 1)[1]
        tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        assert httpx.get(f"{url}/review/{tampered}").status_code == 400
        other_purpose = Tokens(SECRET).sign("unsubscribe", edition.id, "world")
        assert httpx.get(f"{url}/review/{other_purpose}").status_code == 400
        foreign = Tokens("another-secret").sign("review", edition.id, "world")
        assert httpx.get(f"{url}/review/{foreign}").status_code == 400
    finally:
        switch.app = None
        app.state.site.engine.dispose()


def test_the_served_app_takes_signed_provider_events_only(instance, web_server, monkeypatch):  # noqa: F811
    url, switch = web_server
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    monkeypatch.setenv("SENDGRID_WEBHOOK_PUBLIC_KEY", base64.b64encode(public).decode())
    settings = config.load(write_config(instance))
    app = build_app(settings, str(instance / "config.yaml"), SECRET, scheduler=False)
    switch.app = app
    try:
        body = b'[{"email":"ada@example.org","event":"bounce","sg_event_id":"e1","timestamp":1}]'
        unsigned = httpx.post(f"{url}/webhooks/sendgrid", content=body, headers={"content-type": "application/json"})
        assert unsigned.status_code == 403
    finally:
        switch.app = None
        app.state.site.engine.dispose()
