"""Confirmations (and other notices) go out through the configured backend, as transactional mail."""

from __future__ import annotations

import email
import re
from email import policy

import httpx

from digest import config
from digest.pipeline.serve import build_app
from tests.conftest import write_config
from tests.servers.smtp import Sink, serve
from tests.servers.web import csrf_of

SECRET = "notice-test-secret"


def test_confirmation_and_welcome_go_through_the_smtp_backend(instance, web_server):  # noqa: F811
    url, switch = web_server
    sink = Sink()
    relay = serve(sink)
    smtp = {"host": "127.0.0.1", "port": relay.port, "security": "none"}
    settings = config.load(write_config(instance, public_url=url, delivery={"backend": "smtp", "smtp": smtp}))
    app = build_app(settings, str(instance / "config.yaml"), SECRET, scheduler=False)
    switch.app = app
    try:
        with httpx.Client(base_url=url, timeout=10) as http:
            form = http.get("/subscribe/world")
            answer = http.post(
                "/subscribe/world", data={"email": "new@example.org", "name": "New", "csrf": csrf_of(form.text)}
            )
        assert answer.status_code == 200
        [(sender, recipients, raw)] = sink.messages
        assert sender == "digest@example.org" and recipients == ["new@example.org"]
        message = email.message_from_bytes(raw, policy=policy.default)
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["List-Unsubscribe"] is None  # a confirmation is not list mail
        text = message.get_body(("plain",)).get_content()
        assert not (instance / "outbox").exists()  # nothing left in a folder nobody reads

        link = re.search(r"https?://\S+/confirm/\S+", text).group(0)
        with httpx.Client(timeout=10) as http:
            page = http.get(link)
            confirmed = http.post(link, data={"csrf": csrf_of(page.text)})
        assert confirmed.status_code == 200
        welcome = email.message_from_bytes(sink.messages[1][2], policy=policy.default)
        assert welcome["To"] == "new@example.org" and "Welcome" in welcome["Subject"]
        assert f"{url}/u/" in welcome.get_body(("plain",)).get_content()  # the way out, from the start
    finally:
        switch.app = None
        relay.stop()
        app.state.site.engine.dispose()
