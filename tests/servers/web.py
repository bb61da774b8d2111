"""The web app on a real server: uvicorn on 127.0.0.1 in a background thread, and what the web tests share
(the test world's lists, the site they talk to, reading a form's CSRF field)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
import uvicorn
from sqlalchemy import Engine

from subscribers.models import MailingList
from subscribers.tokens import Tokens
from tests.servers.smtp import free_port

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


class Uvicorn:
    """`with Uvicorn(app) as server:` serves `app` at `server.url` until the block ends."""

    def __init__(self, app, lifespan: str = "auto"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan=lifespan)
        self.server = uvicorn.Server(config)

    def __enter__(self) -> Uvicorn:
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


class Switch:
    """An ASGI app that each test plugs its own app into (on its own database) for its duration."""

    app = None

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


@contextmanager
def serve_switch() -> Iterator[tuple[str, Switch]]:
    switch = Switch()
    with Uvicorn(switch, lifespan="off") as server:
        yield server.url, switch


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
