"""The one fixture stack: databases (SQLite always, PostgreSQL when DIGEST_TEST_POSTGRES_URL is set), a copy of
the demo instance, and the web app on a real server on loopback."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from digest.config import Settings
from digest.store.db import make_engine, open_store
from digest.web.app import create_app
from digest.web.deps import Site as WebSite
from subscribers.optin import SubscribeLimits
from subscribers.ratelimit import Limit
from subscribers.service import sync_lists
from subscribers.tokens import Tokens
from tests import ROOT
from tests.servers.web import LISTS, SECRET, Sent, Site, Switch, serve_switch

# Rich reads the terminal width once, when the CLI's consoles are made (at import, in whichever test
# comes first): the tests read table rows whole, so every run gets the same wide terminal.
os.environ.setdefault("COLUMNS", "250")
POSTGRES_ENV = "DIGEST_TEST_POSTGRES_URL"
REDIS_ENV = "DIGEST_TEST_REDIS_URL"  # the broker of execution: celery


def _postgres_base() -> str:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (set by .ci/run); not set here")
    return base


def _in_schema(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def broker(offset: int = 0) -> str | None:
    """A Redis database of this test process's own, emptied (xdist runs test processes side by side;
    `offset` keeps fixtures of one process apart); None when DIGEST_TEST_REDIS_URL is not set."""
    import redis

    base = os.environ.get(REDIS_ENV)
    if not base:
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    url = f"{base.rstrip('/')}/{1 + (offset + int(worker.removeprefix('gw') or 0)) % 15}"
    redis.Redis.from_url(url).flushdb()
    return url


def fresh_postgres_schema() -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema of their own; dropped afterwards."""
    base = _postgres_base()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _in_schema(base, schema)
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_db_url(request, tmp_path) -> Iterator[str]:
    """An empty database, not migrated, on each backend: for the tests of the migrations themselves."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'digest.db'}"
    else:
        yield from fresh_postgres_schema()


TABLES_OF_SCHEMA = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"


@dataclass
class Templates:
    """Migrated once per session: a SQLite file copied for each test, a PostgreSQL schema emptied for each."""

    folder: Path
    _sqlite: Path | None = None
    _postgres: str | None = None
    _schema: str | None = None

    def sqlite(self, into: Path) -> str:
        if self._sqlite is None:
            self._sqlite = self.folder / "template.db"
            open_store(f"sqlite:///{self._sqlite}").dispose()
        shutil.copyfile(self._sqlite, into)
        return f"sqlite:///{into}"

    def postgres(self) -> str:
        base = _postgres_base()
        if self._postgres is None:
            self._schema = f"t_{uuid.uuid4().hex[:12]}"
            with make_engine(base).begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self._schema}"'))
            self._postgres = _in_schema(base, self._schema)
            open_store(self._postgres).dispose()
        eng = make_engine(self._postgres)
        with eng.begin() as conn:  # empty (the scheduler's job table too), and ids from 1 again, as when new
            names = ", ".join('"' + n + '"' for n in conn.execute(text(TABLES_OF_SCHEMA)).scalars())
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        eng.dispose()
        return self._postgres

    def drop(self) -> None:
        if self._schema:
            with make_engine(os.environ[POSTGRES_ENV]).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{self._schema}" CASCADE'))


@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    made.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, templates) -> str:
    """A database of the test's own, migrated and empty, on each backend."""
    if request.param == "sqlite":
        return templates.sqlite(tmp_path / "digest.db")
    return templates.postgres()


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    """The store on `db_url`, with the test world's lists (tests.servers.web.LISTS)."""
    eng = open_store(db_url)
    with eng.begin() as conn:
        sync_lists(conn, LISTS)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path, templates) -> Iterator[Engine]:
    """A migrated store on SQLite only, for what one backend shows as well as two."""
    eng = open_store(templates.sqlite(tmp_path / "digest.db"))
    yield eng
    eng.dispose()


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """A copy of the demo instance (config.yaml, samples, templates) in a folder of its own."""
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


def write_config(instance: Path, **overrides: object) -> Path:
    """Rewrite top-level keys of the instance's config.yaml."""
    import yaml

    path = instance / "config.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(overrides)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def web_server() -> Iterator[tuple[str, Switch]]:
    """One real uvicorn server on loopback for the session: starting one per test costs more than a test."""
    with serve_switch() as served:
        yield served


@pytest.fixture
def site(engine, web_server) -> Iterator[Site]:
    """The web app on `engine`, served by `web_server`; the notices it would mail are kept in `site.sent`."""
    url, switch = web_server
    site = Site(url, Tokens(SECRET), engine)

    def capture(to: str, subject: str, text: str, html: str, *, list_id: str) -> None:
        if site.fail is not None:
            raise site.fail
        site.sent.append(Sent(to, subject, text, html, list_id))

    limits = SubscribeLimits(per_address=Limit(3, timedelta(hours=1)), per_client=Limit(6, timedelta(hours=1)))
    settings = Settings(public_url=url, base_dir=ROOT)  # the project's templates; lists come from the database
    switch.app = create_app(WebSite(engine, settings, SECRET, send_notice=capture, limits=limits))
    yield site
    switch.app = None
