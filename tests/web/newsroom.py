"""A newsroom on loopback for the board's tests: the demo instance (its samples ingested, edition #1
of `world` built), one signed-in user per role, and the real app served by uvicorn."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from digest import config
from digest.accounts.service import Accounts
from digest.domain import Actor, Role
from digest.editions import service
from digest.ingest.run import ingest
from digest.pipeline.serve import build_app
from digest.web.csrf import csrf_token
from subscribers.importer import import_csv
from tests.conftest import write_config
from tests.servers.web import Uvicorn

SECRET = "board-test-secret"
PASSWORD = "a long enough password"
PEOPLE = {
    "viewer": (Role.VIEWER, None),
    "editor": (Role.EDITOR, None),
    "another editor": (Role.EDITOR, None),  # two editors on one draft
    "publisher": (Role.PUBLISHER, None),
    "editor of another list": (Role.EDITOR, ("other",)),
    "admin": (Role.ADMIN, None),
}


@dataclass
class Newsroom:
    url: str
    settings: config.Settings
    app: object
    edition_id: int
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict)  # who -> (cookie token, CSRF token)

    @property
    def engine(self):  # noqa: ANN201 (the app's engine)
        return self.app.state.site.engine  # type: ignore[attr-defined]

    @property
    def board(self) -> str:
        return f"/newsroom/editions/{self.edition_id}"

    def browser(self, who: str, htmx: bool = False) -> httpx.Client:
        """A signed-in client; `htmx` sends what htmx sends (HX-Request and the CSRF header)."""
        token, csrf = self.tokens[who]
        headers = {"HX-Request": "true", "X-CSRF-Token": csrf} if htmx else {}
        return httpx.Client(base_url=self.url, cookies={"digest_session": token}, headers=headers, timeout=30)

    def csrf(self, who: str) -> str:
        return self.tokens[who][1]

    def edition(self):  # noqa: ANN201
        return service.board(self.engine, self.settings, self.edition_id)


def open_newsroom(instance: Path, **overrides: object) -> tuple[Newsroom, Uvicorn]:
    settings = config.load(write_config(instance, **overrides))
    app = build_app(settings, str(instance / "config.yaml"), SECRET, scheduler=False)
    engine = app.state.site.engine
    ingest(engine, settings)
    with engine.connect() as conn:  # the sample readers: four of them get mail
        import_csv(conn, instance / "samples/subscribers.csv", "world", consent="test")
    built = service.build(engine, settings, "world", actor=Actor.named("test")).edition
    assert built is not None and built.id is not None
    server = Uvicorn(app)
    newsroom = Newsroom(server.url, settings, app, built.id)
    accounts = Accounts(engine, SECRET)
    for who, (role, lists) in PEOPLE.items():
        email = f"{who.replace(' ', '-')}@example.org"
        accounts.create_user(email, who.title(), role, PASSWORD, Actor.named("test"), lists)
        token = accounts.sign_in(email, PASSWORD, "127.0.0.1").token
        found = accounts.session_user(token)
        assert found is not None
        newsroom.tokens[who] = (token, csrf_token(SECRET, found[1]))
    return newsroom, server


@pytest.fixture
def newsroom(instance):
    """A fresh newsroom served on loopback for one test (import this fixture where it is used)."""
    room, server = open_newsroom(instance)
    with server:
        yield room
    room.engine.dispose()


@pytest.fixture
def newsroom_each_db(instance, db_url):
    """A fresh newsroom on each backend (`db_url`: SQLite, and PostgreSQL when it is set)."""
    room, server = open_newsroom(instance, database_url=db_url)
    with server:
        yield room
    room.engine.dispose()
