"""`digest ingest`: read every configured source, store new and changed articles, report the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from digest.config import Settings, Source
from digest.store.articles import ensure_source, record_source_run, upsert_article

from .feeds import FeedError, parse_feed
from .folder import read_folder


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # "where: why" for each bad item
    failed: dict[str, str] = field(default_factory=dict)  # source name -> reason

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def _items(settings: Settings, source: Source):
    """(where, article or None, reason or None) for each item of a source."""
    if source.kind == "folder":
        folder = settings.path(source.path)
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: no such folder")
        for path, article, reason in read_folder(folder):
            if article:
                article.guid = article.guid or str(path.relative_to(folder))
            yield str(path), article, reason
        return
    location = source.url or str(settings.path(source.path))
    data = _read_location(location)
    for position, article, reason in parse_feed(data, source.language):
        yield f"{location} item {position}", article, reason


def _read_location(location: str) -> bytes:
    if location.startswith(("http://", "https://")):
        import httpx

        response = httpx.get(location, timeout=httpx.Timeout(10.0, connect=5.0), follow_redirects=True)
        response.raise_for_status()
        return response.content
    return Path(location).read_bytes()


def ingest(
    engine: Engine,
    settings: Settings,
    names: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestReport:
    report = IngestReport()
    for source in settings.sources:
        if names and source.name not in names:
            continue
        if progress:
            progress(source.name)
        with engine.begin() as conn:
            source_id = ensure_source(conn, source.name, source.kind, source.url or source.path or "")
        items = 0
        try:
            for where, article, reason in _items(settings, source):
                if article is None:
                    report.skipped.append(f"{where}: {reason}")
                    continue
                article.source = source.name
                article.language = article.language or source.language
                with engine.begin() as conn:
                    report.count(upsert_article(conn, source_id, article))
                items += 1
        except (OSError, FeedError, ValueError) as exc:
            report.failed[source.name] = str(exc)
        with engine.begin() as conn:
            record_source_run(conn, source_id, error=report.failed.get(source.name), items=items)
    return report
