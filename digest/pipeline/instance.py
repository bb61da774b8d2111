"""An instance's store, opened as every entry point needs it: reachable (else one line naming the
URL), migrated, and holding the lists config.yaml declares."""

from __future__ import annotations

from sqlalchemy import Engine

from digest.config import Settings
from digest.lists import sync_lists
from digest.store.db import make_engine, open_store, reachable, upgrade


def open_instance(settings: Settings) -> Engine:
    engine = open_store(settings.db_url)
    sync_lists(engine, settings)
    return engine


def upgrade_schema(settings: Settings) -> bool:
    """Apply the migrations (every start does too); True when anything was applied."""
    engine = reachable(make_engine(settings.db_url))
    try:
        return upgrade(engine)
    finally:
        engine.dispose()
