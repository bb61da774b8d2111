"""Shared fixtures: a real database on SQLite, and on PostgreSQL when DIGEST_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
# Rich reads the terminal width once, when the CLI's consoles are made (at import, in whichever test
# comes first): the tests read table rows whole, so every run gets the same wide terminal.
os.environ.setdefault("COLUMNS", "250")
POSTGRES_ENV = "DIGEST_TEST_POSTGRES_URL"


def _postgres_schema_url():
    """A URL whose connections use a fresh schema of their own; dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (set by .ci/run); not set here")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A database URL on an empty database, for each backend the suite runs on."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'digest.db'}"
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """A copy of the demo instance (config.yaml, samples, templates) in a folder of its own."""
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


def write_config(instance: Path, **overrides: str) -> Path:
    """Rewrite top-level keys of the instance's config.yaml (simple `key: value` lines)."""
    import yaml

    path = instance / "config.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(overrides)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path
