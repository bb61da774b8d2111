"""The store: migrations build exactly the declared tables, and several processes may start at once."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from digest.store.db import open_store
from digest.store.tables import metadata as digest_metadata
from subscribers.tables import metadata as subscribers_metadata


def test_the_migrations_build_exactly_the_declared_tables(db_url):
    engine = open_store(db_url)
    with engine.connect() as conn:
        drift = compare_metadata(MigrationContext.configure(conn), [subscribers_metadata, digest_metadata])
    engine.dispose()
    assert drift == []


def test_processes_starting_together_on_a_fresh_database_all_start(db_url):
    code = f"from digest.store.db import open_store; open_store({db_url!r}).dispose(); print('started')"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [(p.communicate(timeout=120), p.returncode) for p in procs]
    assert all(code == 0 and out.strip() == "started" for (out, _), code in results), results
