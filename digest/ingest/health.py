"""`digest sources`: how each source is doing, as ingest recorded it."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine

from digest.config import Settings
from digest.store.sources import SourceHealth, source_health

__all__ = ["SourceHealth", "sources_health"]


def sources_health(engine: Engine, settings: Settings) -> list[SourceHealth]:
    """Each configured source in the config's order (one never read is `recorded=False`), then the
    sources added in the browser (`definition` set), then the stored sources no longer configured
    (`configured=False` for both), each by name."""
    with engine.connect() as conn:
        stored = {health.name: health for health in source_health(conn)}
    configured = [
        replace(stored.pop(src.name), kind=src.kind)
        if src.name in stored
        else SourceHealth(src.name, src.kind, recorded=False)
        for src in settings.sources
    ]
    rest = sorted(stored.values(), key=lambda health: (health.definition is None, health.name))
    return configured + [replace(health, configured=False) for health in rest]
