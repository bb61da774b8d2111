"""Sources and articles: rows <-> domain objects."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, Select, String, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from digest.domain import Article
from digest.store.tables import articles, sources

T = TypeVar("T")


def now() -> datetime:
    return datetime.now(UTC)


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


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
    values: dict[str, object]
    if error:
        values = {"last_error": error, "failures": sources.c.failures + 1, "next_attempt_at": retry_at}
    else:
        values = {"last_error": None, "failures": 0, "next_attempt_at": None, "last_success_at": at}
        values |= {"etag": etag, "last_modified": last_modified}
        if items >= 0:
            values["item_count"] = items
    conn.execute(update(sources).where(sources.c.id == source_id).values(last_attempt_at=at, **values))


def source_overview(conn: Connection) -> Sequence[Row[*tuple[Any, ...]]]:
    """Every source with its last success, last error and counts, for `digest sources`."""
    stored = (
        select(articles.c.source_id, func.count().label("articles")).group_by(articles.c.source_id).subquery()
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


_GUID_TYPE = articles.c.guid.type
assert isinstance(_GUID_TYPE, String) and _GUID_TYPE.length is not None  # String(1000) in tables.py
GUID_MAX = _GUID_TYPE.length


@dataclass
class Incoming:
    """An article to store, with what ingest learned about it beyond the domain type."""

    article: Article
    canonical_url: str | None = None  # names one article: the same one under another guid is the same item
    image_url: str | None = None
    image_alt: str | None = None
    tags: list[str] | None = None
    published_guessed: bool = False
    entry_hash: str | None = None
    sketch: bytes | None = None

    @property
    def guid(self) -> str:
        guid = (self.article.guid or self.canonical_url or self.article.url or "").replace("\x00", "")
        if not guid:
            raise ValueError("an article needs a guid or a url")
        return guid if len(guid) <= GUID_MAX else "sha256:" + hashlib.sha256(guid.encode()).hexdigest()

    def values(self) -> dict[str, Any]:
        a = self.article
        values: dict[str, Any] = {
            "url": a.url,
            "title": a.title,
            "language": a.language,
            "byline": a.byline,
            "standfirst": a.standfirst,
            "caption": a.caption,
            "dateline": a.dateline,
            "body": a.text,
            "html": a.html,
            "published_at": a.published_at.astimezone(UTC) if a.published_at else None,  # stored as UTC
            "content_hash": _hash(a, self.image_url),
            "canonical_url": self.canonical_url,
            "published_guessed": self.published_guessed,
            "image_url": self.image_url,
            "image_alt": self.image_alt,
            "tags": self.tags or None,
            "entry_hash": self.entry_hash,
            "sketch": self.sketch,
        }
        # PostgreSQL refuses NUL in text, and no article needs one
        return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in values.items()}


@dataclass(frozen=True)
class Stored:
    outcome: str  # "new", "updated" or "unchanged"
    id: int
    story_id: int
    linked: bool = False  # new, and found to be another source's story


_EXISTING = (
    articles.c.id,
    articles.c.guid,
    articles.c.canonical_url,
    articles.c.content_hash,
    articles.c.story_id,
    articles.c.published_guessed,
    articles.c.published_at,
)


def save_articles(
    conn: Connection,
    source_id: int,
    batch: list[Incoming],
    find_story: Callable[[Incoming], int | None] = lambda _: None,
) -> list[Stored]:
    """Store a source's articles, one result per article in order. The same guid, or the same canonical
    URL under another guid, updates the stored article: a source never holds the same item twice. A new
    article joins the story of another source's article at the same canonical URL, or the story
    `find_story` names, or starts a story of its own. New rows go in with one multi-row INSERT."""
    if not batch:
        return []
    guids, urls = [i.guid for i in batch], [i.canonical_url for i in batch if i.canonical_url]
    by_guid: dict[str, Row[*tuple[Any, ...]]] = {}
    by_url: dict[str, Row[*tuple[Any, ...]]] = {}
    for chunk in _chunks(list(zip(guids, [i.canonical_url for i in batch], strict=True))):
        rows = conn.execute(
            select(*_EXISTING).where(
                articles.c.source_id == source_id,
                articles.c.guid.in_([g for g, _ in chunk])
                | articles.c.canonical_url.in_([u for _, u in chunk if u]),
            )
        )
        for found in rows:
            by_guid[found.guid] = found
            if found.canonical_url:
                by_url.setdefault(found.canonical_url, found)
    url_stories = _stories_of_urls(conn, urls, source_id)
    results: list[Stored | None] = []
    fresh: list[tuple[int, dict[str, Any]]] = []  # (position in batch, row values)
    for position, (incoming, guid) in enumerate(zip(batch, guids, strict=True)):
        values = incoming.values()
        row = by_guid.get(guid) or (by_url.get(incoming.canonical_url) if incoming.canonical_url else None)
        if row is None:
            story = url_stories.get(incoming.canonical_url or "") or find_story(incoming)
            fresh.append(
                (
                    position,
                    {"source_id": source_id, "guid": guid, "fetched_at": now(), "story_id": story, **values},
                )
            )
            results.append(None)
        elif row.content_hash == values["content_hash"] and (
            incoming.published_guessed or utc(row.published_at) == values["published_at"]
        ):  # the same text, and the same date unless the date is only the fetch time
            if incoming.entry_hash:
                conn.execute(
                    update(articles).where(articles.c.id == row.id).values(entry_hash=incoming.entry_hash)
                )
            results.append(Stored("unchanged", row.id, row.story_id or row.id))
        else:
            if incoming.published_guessed:  # a known date beats the fetch time; the first guess stays
                del values["published_at"]
                if not row.published_guessed:
                    del values["published_guessed"]
            conn.execute(update(articles).where(articles.c.id == row.id).values(**values))
            results.append(Stored("updated", row.id, row.story_id or row.id))
    if fresh:
        ids = (
            conn.execute(
                insert(articles).returning(articles.c.id, sort_by_parameter_order=True), [v for _, v in fresh]
            )
            .scalars()
            .all()
        )
        own = [new_id for new_id, (_, v) in zip(ids, fresh, strict=True) if v["story_id"] is None]
        for chunk in _chunks(own):
            conn.execute(update(articles).where(articles.c.id.in_(chunk)).values(story_id=articles.c.id))
        for new_id, (position, v) in zip(ids, fresh, strict=True):
            results[position] = Stored(
                "new", new_id, v["story_id"] or new_id, linked=v["story_id"] is not None
            )
    return [r for r in results if r is not None]  # every position is filled by now


def _chunks(values: list[T], size: int = 500) -> Iterator[list[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _stories_of_urls(conn: Connection, urls: list[str], source_id: int) -> dict[str, int]:
    """The story of another source's article at each canonical URL, where there is one."""
    found: dict[str, int] = {}
    for chunk in _chunks(urls):
        rows = conn.execute(
            select(articles.c.canonical_url, func.min(articles.c.story_id))
            .where(
                articles.c.canonical_url.in_(chunk),
                articles.c.source_id != source_id,
                articles.c.story_id.is_not(None),
            )
            .group_by(articles.c.canonical_url)
        )
        found.update((url, story) for url, story in rows)
    return found


def known_entries(conn: Connection, source_id: int, limit: int = 5000) -> dict[str, str | None]:
    """guid -> entry hash of a source's newest stored articles: an unchanged entry needs no page fetch."""
    rows = conn.execute(
        select(articles.c.guid, articles.c.entry_hash)
        .where(articles.c.source_id == source_id)
        .order_by(articles.c.id.desc())
        .limit(limit)
    )
    return {r.guid: r.entry_hash for r in rows}


def recent_sketches(conn: Connection, since: datetime, limit: int) -> Sequence[Row[*tuple[Any, ...]]]:
    """(id, story_id, source_id, sketch) of the newest sketched articles fetched since a time."""
    return conn.execute(
        select(articles.c.id, articles.c.story_id, articles.c.source_id, articles.c.sketch)
        .where(
            articles.c.fetched_at >= since, articles.c.sketch.is_not(None), articles.c.story_id.is_not(None)
        )
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


def to_article(row: Row[*tuple[Any, ...]], source_name: str) -> Article:
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
        published_at=utc(row.published_at),
        tags=list(row.tags or []),
        story_id=row.story_id,
    )


def _with_source() -> Select[*tuple[Any, ...]]:
    return select(articles, sources.c.name.label("source_name")).join(
        sources, sources.c.id == articles.c.source_id
    )


def candidate_articles(
    conn: Connection, names: Iterable[str], since: datetime, exclude_ids: set[int]
) -> list[Article]:
    """Articles of the named sources published (or, undated, fetched) since a moment, newest first."""
    when = func.coalesce(articles.c.published_at, articles.c.fetched_at)
    query = (
        _with_source()
        .where(sources.c.name.in_(list(names)), when >= since)
        .order_by(when.desc(), articles.c.id)
    )
    return [to_article(r, r.source_name) for r in conn.execute(query) if r.id not in exclude_ids]


def count_late_articles(
    conn: Connection, names: Iterable[str], before: datetime, fetched_since: datetime | None, exclude: Select[int]
) -> int:
    """Articles of the named sources published before a moment but fetched since another (all of
    them when `fetched_since` is None), leaving out the ids the `exclude` query gives."""
    when = func.coalesce(articles.c.published_at, articles.c.fetched_at)
    query = (
        select(func.count())
        .select_from(articles.join(sources, sources.c.id == articles.c.source_id))
        .where(sources.c.name.in_(list(names)), when < before, articles.c.id.not_in(exclude))
    )
    if fetched_since is not None:
        query = query.where(articles.c.fetched_at >= fetched_since)
    return conn.execute(query).scalar_one()


def articles_by_ids(conn: Connection, ids: Iterable[int]) -> dict[int, Article]:
    rows = conn.execute(_with_source().where(articles.c.id.in_(list(ids))))
    return {r.id: to_article(r, r.source_name) for r in rows}


def article_by_url(conn: Connection, url: str) -> Article | None:
    row = conn.execute(_with_source().where(articles.c.url == url).order_by(articles.c.id).limit(1)).first()
    return to_article(row, row.source_name) if row else None
