"""Shared fixtures of the subscriber and web tests: a fresh database per test (SQLite always, PostgreSQL when
DIGEST_TEST_POSTGRES_URL is set), and the web app on a real server on loopback."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, text

from digest.store.db import make_engine, open_store
from digest.web.app import WebConfig, create_app
from subscribers.models import MailingList
from subscribers.optin import SubscribeLimits
from subscribers.ratelimit import Limit
from subscribers.service import sync_lists
from subscribers.tokens import Tokens

POSTGRES_ENV = "DIGEST_TEST_POSTGRES_URL"
SECRET = "test-secret-key"
LISTS = [
    MailingList("world", "The World", "en", from_address="world@example.org", from_name="World"),
    MailingList("monde", "Le Monde en bref", "fr", from_address="monde@example.org", from_name="Monde"),
    MailingList(
        "offen", "Offene Liste", "de", double_opt_in=False, from_address="o@example.org", from_name="O"
    ),
]


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'digest.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set, so the PostgreSQL variant does not run")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(db_url) -> Engine:
    eng = open_store(db_url)
    with eng.begin() as conn:
        sync_lists(conn, LISTS)
    yield eng
    eng.dispose()


@dataclass
class Sent:
    to: str
    subject: str
    text: str
    html: str
    list_id: str


@dataclass
class Site:
    url: str
    tokens: Tokens
    engine: Engine
    sent: list[Sent] = field(default_factory=list)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, follow_redirects=False, timeout=10)

    def link_in(self, mail: Sent) -> str:
        match = re.search(r"(/confirm/[A-Za-z0-9_.\-]+)", mail.text.replace("=\n", ""))
        assert match, mail.text
        return match.group(1)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def start_site(engine: Engine, limits: SubscribeLimits):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    site = Site(url, Tokens(SECRET), engine)

    def capture(to: str, subject: str, text: str, html: str, *, list_id: str) -> None:
        site.sent.append(Sent(to, subject, text, html, list_id))

    app = create_app(
        engine, WebConfig(base_url=url, secret_key=SECRET, send_confirmation=capture, limits=limits)
    )
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    return site, server, thread, sock


@pytest.fixture
def site(engine):
    limits = SubscribeLimits(
        per_address=Limit(3, timedelta(hours=1)), per_client=Limit(6, timedelta(hours=1))
    )
    site, server, thread, sock = start_site(engine, limits)
    yield site
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
