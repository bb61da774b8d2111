"""Sources and articles: rows <-> domain objects."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select, update

from digest.domain import Article

from .tables import articles, sources


def now() -> datetime:
    return datetime.now(UTC)


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def ensure_source(conn: Connection, name: str, kind: str, location: str) -> int:
    row = conn.execute(select(sources.c.id).where(sources.c.name == name)).first()
    if row:
        conn.execute(update(sources).where(sources.c.id == row.id).values(kind=kind, location=location))
        return row.id
    return conn.execute(insert(sources).values(name=name, kind=kind, location=location)).inserted_primary_key[
        0
    ]


@dataclass(frozen=True)
class SourceState:
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
    return SourceState(source_id, row.etag, row.last_modified, row.failures or 0, utc(row.next_attempt_at))


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
    at = now()
    if error:
        values = {"last_error": error, "failures": sources.c.failures + 1, "next_attempt_at": retry_at}
    else:
        values = {"last_error": None, "failures": 0, "next_attempt_at": None, "last_success_at": at}
        values |= {"etag": etag, "last_modified": last_modified}
        if items >= 0:
            values["item_count"] = items
    conn.execute(update(sources).where(sources.c.id == source_id).values(last_attempt_at=at, **values))


def source_overview(conn: Connection):
    """Every source with its last success, last error and counts, for `digest sources`."""
    stored = (
        select(articles.c.source_id, func.count().label("articles"))
        .group_by(articles.c.source_id)
        .subquery()
    )
    return conn.execute(
        select(sources, func.coalesce(stored.c.articles, 0).label("articles"))
        .outerjoin(stored, stored.c.source_id == sources.c.id)
        .order_by(sources.c.name)
    ).all()


def _hash(article: Article, image_url: str | None) -> str:
    h = hashlib.sha256()
    for part in (article.title, article.standfirst or "", article.text, article.url or "", image_url or ""):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class Stored:
    outcome: str  # "new", "updated" or "unchanged"
    id: int
    story_id: int | None


def upsert_article(
    conn: Connection,
    source_id: int,
    article: Article,
    *,
    canonical_url: str | None = None,
    image_url: str | None = None,
    image_alt: str | None = None,
    tags: list[str] | None = None,
    published_guessed: bool = False,
    entry_hash: str | None = None,
    sketch: bytes | None = None,
) -> Stored:
    """Store an article of a source. The same guid, or the same canonical URL under another guid,
    updates the stored article: a source never holds the same item twice."""
    guid = article.guid or canonical_url or article.url
    if not guid:
        raise ValueError("an article needs a guid or a url")
    digest = _hash(article, image_url)
    values = {
        "url": article.url,
        "title": article.title,
        "language": article.language,
        "byline": article.byline,
        "standfirst": article.standfirst,
        "caption": article.caption,
        "dateline": article.dateline,
        "body": article.text,
        "html": article.html,
        "published_at": article.published_at,
        "content_hash": digest,
        "canonical_url": canonical_url,
        "published_guessed": published_guessed,
        "image_url": image_url,
        "image_alt": image_alt,
        "tags": tags or None,
        "entry_hash": entry_hash,
        "sketch": sketch,
    }
    columns = (articles.c.id, articles.c.content_hash, articles.c.story_id, articles.c.published_guessed)
    mine = articles.c.source_id == source_id
    row = conn.execute(select(*columns).where(mine, articles.c.guid == guid)).first()
    if row is None and canonical_url:
        row = conn.execute(select(*columns).where(mine, articles.c.canonical_url == canonical_url).limit(1)).first()
    if row is None:
        new_id = conn.execute(
            insert(articles).values(source_id=source_id, guid=guid, fetched_at=now(), **values)
        ).inserted_primary_key[0]
        return Stored("new", new_id, None)
    if row.content_hash == digest:
        if entry_hash:
            conn.execute(update(articles).where(articles.c.id == row.id).values(entry_hash=entry_hash))
        return Stored("unchanged", row.id, row.story_id)
    if published_guessed and not row.published_guessed:
        del values["published_at"], values["published_guessed"]  # a known date beats the fetch time
    elif published_guessed:
        del values["published_at"]  # the first fetch time stays the guess
    conn.execute(update(articles).where(articles.c.id == row.id).values(**values))
    return Stored("updated", row.id, row.story_id)


def set_story(conn: Connection, article_id: int, story_id: int) -> None:
    conn.execute(update(articles).where(articles.c.id == article_id).values(story_id=story_id))


def story_of_url(conn: Connection, canonical_url: str, source_id: int) -> int | None:
    """The story of another source's article at the same canonical URL."""
    return conn.execute(
        select(articles.c.story_id)
        .where(
            articles.c.canonical_url == canonical_url,
            articles.c.source_id != source_id,
            articles.c.story_id.is_not(None),
        )
        .order_by(articles.c.id)
        .limit(1)
    ).scalar()


def known_entries(conn: Connection, source_id: int) -> dict[str, str | None]:
    """guid -> entry hash of a source's stored articles: an unchanged entry needs no page fetch."""
    rows = conn.execute(select(articles.c.guid, articles.c.entry_hash).where(articles.c.source_id == source_id))
    return {r.guid: r.entry_hash for r in rows}


def recent_sketches(conn: Connection, since: datetime, limit: int):
    """(id, story_id, source_id, sketch) of the newest sketched articles fetched since a time."""
    return conn.execute(
        select(articles.c.id, articles.c.story_id, articles.c.source_id, articles.c.sketch)
        .where(articles.c.fetched_at >= since, articles.c.sketch.is_not(None), articles.c.story_id.is_not(None))
        .order_by(articles.c.id.desc())
        .limit(limit)
    ).all()


def other_coverage(conn: Connection, article_ids: Iterable[int]) -> dict[int, list[tuple[str, str | None]]]:
    """For each article, the (source name, url) of the other articles of its story: "also covered by"."""
    ids = list(article_ids)
    if not ids:
        return {}
    mine = select(articles.c.id, articles.c.story_id).where(articles.c.id.in_(ids)).subquery()
    rows = conn.execute(
        select(mine.c.id, sources.c.name, articles.c.url)
        .join(articles, (articles.c.story_id == mine.c.story_id) & (articles.c.id != mine.c.id))
        .join(sources, sources.c.id == articles.c.source_id)
        .order_by(mine.c.id, articles.c.id)
    )
    coverage: dict[int, list[tuple[str, str | None]]] = {i: [] for i in ids}
    for r in rows:
        coverage[r.id].append((r.name, r.url))
    return coverage


def to_article(row, source_name: str) -> Article:
    return Article(
        id=row.id,
        source=source_name,
        guid=row.guid,
        url=row.url,
        title=row.title,
        language=row.language,
        byline=row.byline,
        standfirst=row.standfirst,
        caption=row.caption,
        dateline=row.dateline,
        paragraphs=[p for p in row.body.split("\n\n") if p],
        html=row.html,
        published_at=row.published_at,
    )


def articles_of_sources(conn: Connection, names: Iterable[str], exclude_ids: set[int]) -> list[Article]:
    """The articles of the named sources, newest first, leaving out the given ids."""
    query = (
        select(articles, sources.c.name.label("source_name"))
        .join(sources, sources.c.id == articles.c.source_id)
        .where(sources.c.name.in_(list(names)))
        .order_by(articles.c.published_at.desc().nulls_last(), articles.c.id)
    )
    return [to_article(r, r.source_name) for r in conn.execute(query) if r.id not in exclude_ids]
