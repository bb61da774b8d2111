"""Store fixtures for the delivery tests: a fresh migrated SQLite file, or a fresh PostgreSQL schema
(DIGEST_TEST_POSTGRES_URL). Test modules bind them: `engine = store.engine`."""

import pytest

from digest.store.db import make_engine, upgrade


@pytest.fixture
def database_url(db_url):
    """The URL of an empty store: SQLite in a temporary folder, or a fresh PostgreSQL schema (conftest)."""
    return db_url


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
