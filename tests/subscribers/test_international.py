"""Internationalized addresses at the door: the subscribe form, `digest subscribers add` and CSV import
take an address the configured delivery can carry and refuse, with a clear reason, one it cannot.

user@exämple.com is always taken (its domain goes out IDNA-encoded). ünï@exämple.com needs SMTPUTF8:
taken when the SMTP relay offers it or the outbox is used, refused with SendGrid or a relay without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import func, select

from digest import config
from digest.pipeline.serve import build_app
from subscribers import tables as t
from tests.conftest import write_config
from tests.servers.sendgrid import Server, StandIn
from tests.servers.smtp import Sink, serve
from tests.servers.web import csrf_of

SECRET = "international-test-secret"
UTF8 = "ünï@exämple.com"
DIGEST = str(Path(sys.executable).with_name("digest"))


def _configure(instance: Path, delivery: dict, url: str = "https://digest.example.org") -> config.Settings:
    """The demo instance with this delivery; served at `url` (plain http here, so the CSRF cookie is not Secure)."""
    path = write_config(instance, public_url=url, delivery={"backend": "file", **delivery})
    return config.load(path)


def _subscribers(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t.subscribers)).scalar_one()


def _subscribe(url: str, email: str, list_id: str = "world") -> httpx.Response:
    with httpx.Client(base_url=url, timeout=30) as http:
        field = csrf_of(http.get(f"/subscribe/{list_id}").text)
        return http.post(f"/subscribe/{list_id}", data={"email": email, "name": "Ünï", "csrf": field})


@pytest.fixture
def relay():
    """Two SMTP relays on loopback: one that offers SMTPUTF8, one that does not."""
    sinks = {offers: Sink() for offers in (True, False)}
    controllers = {offers: serve(sink, enable_SMTPUTF8=offers) for offers, sink in sinks.items()}
    yield {offers: (sinks[offers], controllers[offers].port) for offers in sinks}
    for controller in controllers.values():
        controller.stop()


@pytest.mark.parametrize("offers_smtputf8", [True, False])
def test_the_subscribe_form_over_smtp(instance, web_server, relay, offers_smtputf8):  # noqa: F811
    url, switch = web_server
    sink, port = relay[offers_smtputf8]
    settings = _configure(instance, {"backend": "smtp", "smtp": {"host": "127.0.0.1", "port": port, "security": "none"}}, url)
    app = build_app(settings, str(instance / "config.yaml"), SECRET, scheduler=False)
    switch.app = app
    try:
        answer = _subscribe(url, UTF8)
        held = _subscribers(app.state.site.engine)
    finally:
        switch.app = None
        app.state.site.engine.dispose()
    if offers_smtputf8:  # the confirmation went out with SMTPUTF8, to the address in UTF-8
        assert answer.status_code == 200 and "Check your inbox" in answer.text
        assert sink.smtputf8 == {"ünï@xn--exmple-cua.com"} and held == 1
    else:  # never a 503 and a pending row that no confirmation can ever reach
        assert answer.status_code == 422, answer.text
        assert "part before the @" in answer.text and UTF8 in answer.text
        assert not sink.messages and held == 0


def test_the_subscribe_form_with_sendgrid_refuses_in_the_list_language(instance, web_server, monkeypatch):  # noqa: F811
    url, switch = web_server
    monkeypatch.setenv("SENDGRID_API_KEY", "SG.k")
    with Server(StandIn("SG.k")) as server:
        _configure(instance, {"backend": "sendgrid", "sendgrid": {"api_host": server.url}}, url)
        data = yaml.safe_load((instance / "config.yaml").read_text())
        data["lists"][0]["language"] = "fr"
        (instance / "config.yaml").write_text(yaml.safe_dump(data))
        settings = config.load(instance / "config.yaml")
        app = build_app(settings, str(instance / "config.yaml"), SECRET, scheduler=False)
        switch.app = app
        try:
            refused = _subscribe(url, UTF8)
            taken = _subscribe(url, "user@exämple.com")
            held = _subscribers(app.state.site.engine)
        finally:
            switch.app = None
            app.state.site.engine.dispose()
        accepted = [a.email for a in server.stand_in.accepted]
    assert refused.status_code == 422 and "avant le @" in refused.text  # in the list's language
    assert taken.status_code == 200 and accepted == ["user@xn--exmple-cua.com"] and held == 1


def _cli(instance: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIGEST_CONFIG": str(instance / "config.yaml"), "DIGEST_SECRET_KEY": SECRET,
           "SENDGRID_API_KEY": "SG.k"}
    return subprocess.run([DIGEST, *args], env=env, capture_output=True, text=True, timeout=60, cwd=instance)


def test_cli_add_and_import_refuse_what_sendgrid_cannot_carry_and_take_the_rest(instance):
    _configure(instance, {"backend": "sendgrid"})
    added = _cli(instance, "subscribers", "add", UTF8, "--list", "world", "--consent", "test")
    assert added.returncode == 1 and "Traceback" not in added.stderr
    assert "part before the @ is not ASCII" in added.stderr and "sendgrid" in added.stderr
    assert _cli(instance, "subscribers", "add", "user@exämple.com", "--list", "world", "--consent", "t").returncode == 0
    members = instance / "members.csv"
    members.write_text(f"email,name\nann@example.org,Ann\n{UTF8},Ünï\nbob@bücher.de,Bob\n", encoding="utf-8")
    imported = _cli(instance, "subscribers", "import", str(members), "--list", "world", "--consent", "signup")
    assert imported.returncode == 0, imported.stderr
    assert "imported (new):       2" in imported.stdout and "rejected:             1" in imported.stdout
    report = (instance / "members.csv.errors.csv").read_text(encoding="utf-8")
    assert "3,email," in report and "not ASCII" in report and UTF8 in report


def test_cli_add_takes_a_utf8_address_where_the_relay_offers_smtputf8(instance, relay):
    _, port = relay[True]
    _configure(instance, {"backend": "smtp", "smtp": {"host": "127.0.0.1", "port": port, "security": "none"}})
    added = _cli(instance, "subscribers", "add", UTF8, "--list", "world", "--consent", "test")
    assert added.returncode == 0, added.stderr
    _, port = relay[False]
    _configure(instance, {"backend": "smtp", "smtp": {"host": "127.0.0.1", "port": port, "security": "none"}})
    refused = _cli(instance, "subscribers", "add", "öle@example.org", "--list", "world", "--consent", "test")
    assert refused.returncode == 1 and "SMTPUTF8" in refused.stderr


def test_a_confirmation_the_relay_refuses_for_good_is_not_a_try_again_later(instance, web_server):  # noqa: F811
    url, switch = web_server
    sink = Sink(refuse={"gone@example.org"})
    controller = serve(sink)
    settings = _configure(instance, {"backend": "smtp", "smtp": {"host": "127.0.0.1", "port": controller.port,
                                                                  "security": "none"}}, url)
    app = build_app(settings, str(instance / "config.yaml"), SECRET, scheduler=False)
    switch.app = app
    try:
        answer = _subscribe(url, "gone@example.org")
    finally:
        switch.app = None
        app.state.site.engine.dispose()
        controller.stop()
    assert answer.status_code == 422 and "refused our mail" in answer.text and "try again later" not in answer.text
