"""Store fixtures for the delivery tests: a fresh migrated SQLite file, or a fresh PostgreSQL schema
(DIGEST_TEST_POSTGRES_URL). Test modules bind them: `engine = store.engine`."""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from digest.store.db import make_engine, upgrade

POSTGRES_ENV = "DIGEST_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """The URL of an empty store: SQLite in a temporary folder, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'digest.db'}"
        return
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set (e.g. postgresql+psycopg://postgres@127.0.0.1/digest_deliver_test)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in url else "?"
    yield f"{url}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def engine(database_url):
    """A fresh, migrated store on SQLite and on PostgreSQL."""
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'digest.db'}")
    upgrade(eng)
    yield eng
    eng.dispose()
