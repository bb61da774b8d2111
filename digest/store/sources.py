"""Sources: what ingest remembers of each between runs (validators for a conditional GET, failures and
back-off) and how each is doing, for `digest sources` and `digest status`; and the definitions of the
sources added in the browser (digest.ingest.catalog), which config.yaml's sources do not have."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from digest.store.tables import articles, sources


def ensure_source(conn: Connection, name: str, kind: str, location: str) -> int:
    """The source's id. A source moved to another location starts afresh: no validators, no back-off."""
    row = conn.execute(select(sources.c.id, sources.c.location).where(sources.c.name == name)).first()
    if row:
        fresh = (
            {} if row.location == location else {"etag": None, "last_modified": None, "next_attempt_at": None}
        )
        conn.execute(
            update(sources).where(sources.c.id == row.id).values(kind=kind, location=location, **fresh)
        )
        return int(row.id)
    try:
        with conn.begin_nested():
            return int(
                conn.execute(
                    insert(sources).values(name=name, kind=kind, location=location).returning(sources.c.id)
                ).scalar_one()
            )
    except IntegrityError:  # another process added it at the same moment
        return int(conn.execute(select(sources.c.id).where(sources.c.name == name)).scalar_one())


@dataclass(frozen=True)
class SourceState:
    """What the next run of a source starts from."""

    id: int
    etag: str | None
    last_modified: str | None
    failures: int
    next_attempt_at: datetime | None


def source_state(conn: Connection, source_id: int) -> SourceState:
    row = conn.execute(
        select(sources.c.etag, sources.c.last_modified, sources.c.failures, sources.c.next_attempt_at).where(
            sources.c.id == source_id
        )
    ).one()
    return SourceState(source_id, row.etag, row.last_modified, row.failures or 0, row.next_attempt_at)


def record_source_run(
    conn: Connection,
    source_id: int,
    *,
    error: str | None,
    items: int,
    etag: str | None = None,
    last_modified: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    """A run's outcome. A success keeps the validators for the next conditional GET (a 304 keeps the
    item count of the run that read the items); a failure counts up and says when to try again."""
    at = datetime.now(UTC)
    values: dict[str, object]
    if error:
        values = {"last_error": error, "failures": sources.c.failures + 1, "next_attempt_at": retry_at}
    else:
        values = {"last_error": None, "failures": 0, "next_attempt_at": None, "last_success_at": at}
        values |= {"etag": etag, "last_modified": last_modified}
        if items >= 0:
            values["item_count"] = items
    conn.execute(update(sources).where(sources.c.id == source_id).values(last_attempt_at=at, **values))


@dataclass(frozen=True)
class SourceHealth:
    """How a source is doing, as ingest recorded it."""

    name: str
    kind: str
    recorded: bool = True  # ingest has a record of it (False: never read)
    configured: bool = True  # in config.yaml (the store only knows the sources it has read)
    last_success_at: datetime | None = None
    last_error: str | None = None
    failures: int = 0  # in a row
    next_attempt_at: datetime | None = None  # left alone until then (back-off)
    item_count: int = 0  # items in the last run that read the source
    articles: int = 0  # stored
    definition: dict[str, Any] | None = None  # added in the browser: its definition (None: config.yaml's)
    enabled: bool = True  # an added source may be disabled: it is not read, its articles stay


def source_health(conn: Connection) -> list[SourceHealth]:
    """Every source the store knows, by name."""
    stored = (
        select(articles.c.source_id, func.count().label("articles")).group_by(articles.c.source_id).subquery()
    )
    rows = conn.execute(
        select(sources, func.coalesce(stored.c.articles, 0).label("articles"))
        .outerjoin(stored, stored.c.source_id == sources.c.id)
        .order_by(sources.c.name)
    )
    return [
        SourceHealth(
            name=row.name,
            kind=row.kind,
            last_success_at=row.last_success_at,
            last_error=row.last_error,
            failures=row.failures or 0,
            next_attempt_at=row.next_attempt_at,
            item_count=row.item_count or 0,
            articles=row.articles,
            definition=row.definition,
            enabled=bool(row.enabled),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class StoredSource:
    """A source added in the browser, as stored."""

    name: str
    definition: dict[str, Any]  # config.Source's fields but the name
    enabled: bool


def added_sources(conn: Connection) -> list[StoredSource]:
    """The sources added in the browser, by name."""
    rows = conn.execute(
        select(sources.c.name, sources.c.definition, sources.c.enabled)
        .where(sources.c.definition.is_not(None))
        .order_by(sources.c.name)
    )
    return [
        StoredSource(r.name, dict(r.definition), bool(r.enabled)) for r in rows if r.definition is not None
    ]


def define_source(
    conn: Connection, name: str, kind: str, location: str, definition: dict[str, Any], enabled: bool = True
) -> int:
    """Store an added source's definition (a source of that name no longer in config.yaml is adopted,
    its articles kept); its id."""
    source_id = ensure_source(conn, name, kind, location)
    conn.execute(
        update(sources).where(sources.c.id == source_id).values(definition=definition, enabled=enabled)
    )
    return source_id


def source_id_of(conn: Connection, name: str) -> int | None:
    found = conn.execute(select(sources.c.id).where(sources.c.name == name)).scalar()
    return int(found) if found is not None else None
