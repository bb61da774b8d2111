"""The admin console's settings: the configuration in force without a secret in it, which secrets the
environment sets, and a test of the delivery backend that arrives (the file backend's outbox) and is
in the audit log. Only admins open it; the policy test checks every other role."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import httpx

from digest import config
from digest.deliver.check import SUBJECT
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)


def _tests_in_outbox(room) -> list[email.message.EmailMessage]:  # noqa: ANN001
    outbox = Path(room.settings.path(room.settings.delivery.outbox))
    found = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.glob("*.eml")]
    return [m for m in found if m["Subject"] == SUBJECT]  # type: ignore[misc]


def test_the_settings_show_the_configuration_and_which_secrets_are_set_never_their_values(newsroom, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SENDGRID_API_KEY", "SG.a-key-nobody-may-read")
    monkeypatch.delenv("DIGEST_SMTP_PASSWORD", raising=False)
    with newsroom.browser("admin") as admin:
        page = admin.get("/admin/settings")
        assert page.status_code == 200
        assert "SG.a-key-nobody-may-read" not in page.text
        row = page.text.split("<code>SENDGRID_API_KEY</code>", 1)[1].split("</tr>", 1)[0]
        assert ">set<" in row
        row = page.text.split("<code>DIGEST_SMTP_PASSWORD</code>", 1)[1].split("</tr>", 1)[0]
        assert ">not set<" in row
        assert "backend: file" in page.text and "max_items:" in page.text  # defaults filled in
        assert 'href="/admin/settings"' in admin.get("/newsroom").text
    with newsroom.browser("publisher") as publisher:
        assert 'href="/admin/settings"' not in publisher.get("/newsroom").text
    with httpx.Client(base_url=newsroom.url, timeout=10) as visitor:
        answer = visitor.get("/admin/settings")
        assert answer.status_code == 303 and answer.headers["location"] == "/signin?next=/admin/settings"


def test_a_database_password_is_hidden_in_the_configuration_shown():
    settings = config.Settings(public_url="https://digest.example.org",
                               database_url="postgresql+psycopg://digest:hunter2@db.internal:5432/digest")  # fmt: skip
    shown = config.effective(settings)
    assert "hunter2" not in shown and "digest:***@db.internal" in shown


def test_the_delivery_test_arrives_at_the_admins_address_and_is_audited(newsroom):  # noqa: F811
    with newsroom.browser("admin") as admin:
        refused = admin.post("/admin/settings/test-delivery", data={})
        assert refused.status_code == 403 and _tests_in_outbox(newsroom) == []  # no CSRF token, no mail
        sent = admin.post("/admin/settings/test-delivery", data={"csrf": newsroom.csrf("admin")})
        assert sent.status_code == 303 and sent.headers["location"] == "/admin/settings?tested=yes"
        assert "The file backend took the test message" in admin.get(sent.headers["location"]).text
        audit = admin.get("/admin/audit?action=settings.").text
        assert "settings.test_delivery" in audit
    [mail] = _tests_in_outbox(newsroom)
    assert mail["To"] == "admin@example.org"
    assert "file backend" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_a_backend_that_refuses_the_test_is_named_with_its_reason_and_audited(instance):
    from tests.servers.smtp import Sink, serve
    from tests.web.newsroom import open_newsroom

    sink = Sink(refuse={"admin@example.org"})  # the relay refuses the admin's address for good (550)
    relay = serve(sink)
    smtp = {"host": "127.0.0.1", "port": relay.port, "security": "none", "timeout": 10}
    room, server = open_newsroom(instance, delivery={"backend": "smtp", "outbox": "outbox", "smtp": smtp})
    try:
        with server, room.browser("admin") as admin:
            answer = admin.post("/admin/settings/test-delivery", data={"csrf": room.csrf("admin")})
            assert answer.status_code == 502 and "550" in answer.text and 'role="alert"' in answer.text
            assert "took the test message" not in answer.text
            assert "settings.test_delivery" in admin.get("/admin/audit?action=settings.").text
        assert sink.messages == []
    finally:
        relay.stop()
        room.engine.dispose()
