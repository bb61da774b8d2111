"""Shared fixtures of the subscriber and web tests: a fresh database per test (SQLite always, PostgreSQL when
DIGEST_TEST_POSTGRES_URL is set), and the web app on a real server on loopback."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, text

from digest.config import Settings
from digest.store import tables as digest_tables
from digest.store.db import make_engine, open_store
from digest.web.app import create_app
from digest.web.deps import Site as WebSite
from subscribers import tables as subscriber_tables
from subscribers.models import MailingList
from subscribers.optin import SubscribeLimits
from subscribers.ratelimit import Limit
from subscribers.service import sync_lists
from subscribers.tokens import Tokens

POSTGRES_ENV = "DIGEST_TEST_POSTGRES_URL"
ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-secret-key"
LISTS = [  # public: offered on every preferences page
    MailingList(id="world", name="The World", from_address="world@example.org", from_name="World", public=True),
    MailingList(
        id="monde", name="Le Monde en bref", language="fr", from_address="monde@example.org", from_name="Monde",
        public=True,
    ),
    MailingList(
        id="offen", name="Offene Liste", language="de", double_opt_in=False, from_address="o@example.org",
        from_name="O", public=True,
    ),
]


@dataclass
class Templates:
    """Migrated once per session: a SQLite file copied for each test, a PostgreSQL schema emptied for each."""

    folder: Path
    _sqlite: Path | None = None
    _postgres: str | None = None
    _schema: str | None = None

    def sqlite(self) -> Path:
        if self._sqlite is None:
            path = self.folder / "template.db"
            open_store(f"sqlite:///{path}").dispose()
            self._sqlite = path
        return self._sqlite

    def postgres(self, base: str) -> str:
        if self._postgres is None:
            self._schema = f"t_{uuid.uuid4().hex[:12]}"
            with make_engine(base).begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self._schema}"'))
            sep = "&" if "?" in base else "?"
            self._postgres = f"{base}{sep}options=-csearch_path%3D{self._schema}"
            open_store(self._postgres).dispose()
        return self._postgres

    def drop(self) -> None:
        if self._schema:
            with make_engine(os.environ[POSTGRES_ENV]).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{self._schema}" CASCADE'))


@pytest.fixture(scope="session")
def templates(tmp_path_factory):
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    made.drop()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path, templates):
    """A database of our own, migrated and empty, for each test."""
    if request.param == "sqlite":
        shutil.copyfile(templates.sqlite(), tmp_path / "digest.db")
        return f"sqlite:///{tmp_path / 'digest.db'}"
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set, so the PostgreSQL variant does not run")
    url = templates.postgres(base)
    eng = make_engine(url)
    with eng.begin() as conn:  # DELETE beats TRUNCATE on tables this small
        tables = subscriber_tables.metadata.sorted_tables + digest_tables.metadata.sorted_tables
        for table in reversed(tables):  # the pipeline's tables point at the subscriber ones
            conn.execute(table.delete())
    eng.dispose()
    return url


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
    fail: Exception | None = None  # set it, and the mail that would go out next raises it instead

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, follow_redirects=False, timeout=10)

    def sign(self, purpose: str, subscriber_id: int, list_id: str | None = None, tokens: Tokens | None = None) -> str:
        """A token as a mail to this subscriber carries it: with their nonce (signed by `tokens`, else ours)."""
        from subscribers.service import get_subscriber

        with self.engine.connect() as conn:
            sub = get_subscriber(conn, subscriber_id)
        return (tokens or self.tokens).sign(purpose, subscriber_id, list_id, sub.nonce if sub else None)

    def link_in(self, mail: Sent) -> str:
        match = re.search(r"(/confirm/[A-Za-z0-9_.\-]+)", mail.text.replace("=\n", ""))
        assert match, mail.text
        return match.group(1)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


class _Switch:
    """The server's ASGI app: each test plugs in its own app (on its own database) for its duration."""

    app = None

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def web_server():
    """One real uvicorn server on loopback for the session: starting one per test costs more than a test."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    switch = _Switch()
    server = uvicorn.Server(uvicorn.Config(switch, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", switch
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def site(engine, web_server):
    url, switch = web_server
    site = Site(url, Tokens(SECRET), engine)

    def capture(to: str, subject: str, text: str, html: str, *, list_id: str) -> None:
        if site.fail is not None:
            raise site.fail
        site.sent.append(Sent(to, subject, text, html, list_id))

    limits = SubscribeLimits(
        per_address=Limit(3, timedelta(hours=1)), per_client=Limit(6, timedelta(hours=1))
    )
    settings = Settings(public_url=url, base_dir=ROOT)  # the project's templates; lists come from the database
    switch.app = create_app(WebSite(engine, settings, SECRET, send_notice=capture, limits=limits))
    yield site
    switch.app = None
