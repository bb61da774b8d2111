"""Sources and articles: rows <-> domain objects."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select, update

from digest.domain import Article

from .tables import articles, sources


def now() -> datetime:
    return datetime.now(UTC)


def ensure_source(conn: Connection, name: str, kind: str, location: str) -> int:
    row = conn.execute(select(sources.c.id).where(sources.c.name == name)).first()
    if row:
        conn.execute(update(sources).where(sources.c.id == row.id).values(kind=kind, location=location))
        return row.id
    return conn.execute(insert(sources).values(name=name, kind=kind, location=location)).inserted_primary_key[
        0
    ]


def record_source_run(conn: Connection, source_id: int, *, error: str | None, items: int) -> None:
    if error:
        conn.execute(
            update(sources)
            .where(sources.c.id == source_id)
            .values(last_error=error, failures=sources.c.failures + 1)
        )
    else:
        conn.execute(
            update(sources)
            .where(sources.c.id == source_id)
            .values(last_error=None, failures=0, last_success_at=now(), item_count=items)
        )


def _hash(article: Article) -> str:
    h = hashlib.sha256()
    for part in (article.title, article.standfirst or "", article.text, article.url or ""):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def upsert_article(conn: Connection, source_id: int, article: Article) -> str:
    """Store an article keyed by (source, guid). Returns 'new', 'updated' or 'unchanged'."""
    guid = article.guid or article.url
    if not guid:
        raise ValueError("an article needs a guid or a url")
    digest = _hash(article)
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
    }
    row = conn.execute(
        select(articles.c.id, articles.c.content_hash).where(
            articles.c.source_id == source_id, articles.c.guid == guid
        )
    ).first()
    if row is None:
        conn.execute(insert(articles).values(source_id=source_id, guid=guid, fetched_at=now(), **values))
        return "new"
    if row.content_hash == digest:
        return "unchanged"
    conn.execute(update(articles).where(articles.c.id == row.id).values(**values))
    return "updated"


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


def _with_source():
    return select(articles, sources.c.name.label("source_name")).join(sources, sources.c.id == articles.c.source_id)


def candidate_articles(conn: Connection, names: Iterable[str], since: datetime, exclude_ids: set[int]) -> list[Article]:
    """Articles of the named sources published (or, undated, fetched) since a moment, newest first."""
    when = func.coalesce(articles.c.published_at, articles.c.fetched_at)
    query = (
        _with_source()
        .where(sources.c.name.in_(list(names)), when >= since)
        .order_by(when.desc(), articles.c.id)
    )
    return [to_article(r, r.source_name) for r in conn.execute(query) if r.id not in exclude_ids]


def articles_by_ids(conn: Connection, ids: Iterable[int]) -> dict[int, Article]:
    rows = conn.execute(_with_source().where(articles.c.id.in_(list(ids))))
    return {r.id: to_article(r, r.source_name) for r in rows}


def article_by_url(conn: Connection, url: str) -> Article | None:
    row = conn.execute(_with_source().where(articles.c.url == url).order_by(articles.c.id).limit(1)).first()
    return to_article(row, row.source_name) if row else None
