"""A served newsroom on loopback over a real instance (the demo's config.yaml, samples and
templates in a folder of their own), with what its pages show: a list whose edition went out and
whose next draft is open, a second list fed by a source that fails, and users to sign in as."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from digest import config
from digest.accounts.service import Accounts
from digest.config import Settings
from digest.domain import Actor, EditionStatus, Role
from digest.editions import service
from digest.ingest.run import ingest
from digest.links import Links
from digest.pipeline.serve import build_app
from subscribers.importer import import_csv
from subscribers.tokens import Tokens
from tests.conftest import write_config
from tests.servers.web import Uvicorn

SECRET = "newsroom-pages-secret"
WORLD_THEME: dict[str, object] | None = None  # the world list's theme, when a test gives it one
PASSWORD = "a long enough password"


@dataclass
class Newsroom:
    url: str
    settings: Settings
    engine: Engine
    accounts: Accounts
    instance: Path
    sent_id: int  # world's edition that went out
    draft_id: int  # world's open draft

    def session(self, email: str, role: Role, lists: tuple[str, ...] | None = None) -> str:
        """The session cookie of a new user of that role, signed in."""
        self.accounts.create_user(email, email.split("@")[0].title(), role, PASSWORD, Actor("test"), lists)
        return self.accounts.sign_in(email, PASSWORD, "127.0.0.1").token

    def user(self, email: str, role: Role, lists: tuple[str, ...] | None = None) -> httpx.Client:
        """A browser signed in as a new user of that role."""
        token = self.session(email, role, lists)
        return httpx.Client(base_url=self.url, cookies={"digest_session": token}, timeout=10)

    def anonymous(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)


def add_article(instance: Path, n: int, when: datetime) -> None:
    (instance / "samples" / "articles" / f"story-{n:03d}.md").write_text(
        f"---\nurl: https://news.example.org/story-{n}\npublished: {when.isoformat()}\n---\n"
        f"# Story number {n} of the newsroom test\n\nThe body of story number {n}, long enough to be a lede here.\n"
    )


def configure(instance: Path, db_url: str, **world: object) -> Settings:
    cfg = config.load(write_config(instance, database_url=db_url))
    base = cfg.get_list("world").model_dump(mode="json")
    monde = dict(base, id="monde", name="Le Monde en bref", language="fr", schedule="30 6 * * *",
                 timezone="America/Montreal", sources=["broken"], public=False)  # fmt: skip
    sources = [s.model_dump(mode="json", exclude_none=True) for s in cfg.sources]
    sources.append({"name": "broken", "kind": "folder", "path": "samples/nowhere"})
    return config.load(write_config(instance, sources=sources, lists=[dict(base, **world), monde]))


@pytest.fixture
def newsroom(instance: Path, db_url: str) -> Iterator[Newsroom]:
    settings = configure(instance, db_url, **({"theme": WORLD_THEME} if WORLD_THEME else {}))
    app = build_app(settings, str(instance / "config.yaml"), SECRET, scheduler=False)
    engine = app.state.site.engine
    with engine.connect() as conn:  # the import commits chunk by chunk
        import_csv(conn, instance / "samples" / "subscribers.csv", "world", consent="test")
    ingest(engine, settings)
    sent = service.build(engine, settings, "world", actor=Actor.named("Ana")).edition
    assert sent is not None and sent.id is not None
    service.transition(engine, sent.id, EditionStatus.APPROVED, Actor.named("Ana"))
    service.send(engine, settings, sent.id, Links(settings.base_url, Tokens(SECRET)))
    add_article(instance, 1, datetime.now().astimezone())
    ingest(engine, settings)
    draft = service.build(engine, settings, "world", actor=Actor.named("Ana")).edition
    assert draft is not None and draft.id is not None and draft.id != sent.id
    with Uvicorn(app) as server:
        yield Newsroom(server.url, settings, engine, Accounts(engine, SECRET), instance, sent.id, draft.id)
    engine.dispose()
