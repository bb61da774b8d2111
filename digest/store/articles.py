"""Articles: stored as ingest hands them over, handed back as the Articles editions select from (lead
image and caption filled), never as rows. Sources are sources.py's."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, Select, String, func, insert, select, update

from digest.domain import Article, Coverage, Image
from digest.store.tables import articles, sources

T = TypeVar("T")


def _hash(article: Article) -> str:
    """The article's content: a change in any of these parts is an update. The image's size counts once
    it is known (articles stored before sizes were kept keep their hash until the size shows up)."""
    image = article.image
    parts = [
        article.title,
        article.standfirst or "",
        article.text,
        article.url or "",
        image.url if image else "",
    ]
    if image and (image.width or image.height):
        parts.append(f"{image.width or ''}x{image.height or ''}")
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


_GUID_TYPE = articles.c.guid.type
assert isinstance(_GUID_TYPE, String) and _GUID_TYPE.length is not None  # String(1000) in tables.py
GUID_MAX = _GUID_TYPE.length


def _guid(article: Article) -> str:
    """The key of an article within its source: its guid, else its canonical URL, else its URL; hashed
    when longer than the column holds."""
    guid = (article.guid or article.canonical_url or article.url or "").replace("\x00", "")
    if not guid:
        raise ValueError("an article needs a guid or a url")
    return guid if len(guid) <= GUID_MAX else "sha256:" + hashlib.sha256(guid.encode()).hexdigest()


def _values(article: Article, sketch: bytes | None) -> dict[str, Any]:
    a, image = article, article.image
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
        "published_at": a.published_at,
        "content_hash": _hash(a),
        "canonical_url": a.canonical_url,
        "published_guessed": a.published_guessed,
        "image_url": image.url if image else None,
        "image_alt": image.alt if image else None,
        "image_width": image.width if image else None,
        "image_height": image.height if image else None,
        "tags": a.tags or None,
        "entry_hash": a.entry_hash,
        "sketch": sketch,
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
    batch: Sequence[Article],
    sketches: Sequence[bytes | None] | None = None,
    find_story: Callable[[bytes], int | None] = lambda _: None,
) -> list[Stored]:
    """Store a source's articles, one result per article in order; `sketches` are their text signatures
    for story linking (None: too short to compare). The same guid, or the same canonical URL under
    another guid, updates the stored article: a source never holds the same item twice. A new article
    joins the story of another source's article at the same canonical URL, or the story `find_story`
    names for its sketch, or starts a story of its own. New rows go in with one multi-row INSERT."""
    if not batch:
        return []
    signatures = list(sketches) if sketches is not None else [None] * len(batch)
    guids = [_guid(a) for a in batch]
    urls = [a.canonical_url for a in batch if a.canonical_url]
    by_guid: dict[str, Row[*tuple[Any, ...]]] = {}
    by_url: dict[str, Row[*tuple[Any, ...]]] = {}
    for chunk in _chunks(list(zip(guids, [a.canonical_url for a in batch], strict=True))):
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
    for position, (article, guid, signature) in enumerate(zip(batch, guids, signatures, strict=True)):
        values = _values(article, signature)
        row = by_guid.get(guid) or (by_url.get(article.canonical_url) if article.canonical_url else None)
        if row is None:
            story = url_stories.get(article.canonical_url or "") or (
                find_story(signature) if signature else None
            )
            fetched_at = datetime.now(UTC)
            fresh.append(
                (
                    position,
                    {
                        "source_id": source_id,
                        "guid": guid,
                        "fetched_at": fetched_at,
                        "story_id": story,
                        **values,
                    },
                )
            )
            results.append(None)
        elif row.content_hash == values["content_hash"] and (
            article.published_guessed or row.published_at == article.published_at
        ):  # the same text, and the same date unless the date is only the fetch time
            if article.entry_hash:
                conn.execute(
                    update(articles).where(articles.c.id == row.id).values(entry_hash=article.entry_hash)
                )
            results.append(Stored("unchanged", row.id, row.story_id or row.id))
        else:
            if article.published_guessed:  # a known date beats the fetch time; the first guess stays
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


@dataclass(frozen=True)
class Sketch:
    """A stored article's text signature, for finding the story a new article belongs to."""

    article_id: int
    story_id: int
    source_id: int
    signature: bytes


def recent_sketches(conn: Connection, since: datetime, limit: int, after_id: int = 0) -> list[Sketch]:
    """The newest sketched articles fetched since a moment (and with an id above `after_id`), newest
    first."""
    rows = conn.execute(
        select(articles.c.id, articles.c.story_id, articles.c.source_id, articles.c.sketch)
        .where(
            articles.c.fetched_at >= since,
            articles.c.id > after_id,
            articles.c.sketch.is_not(None),
            articles.c.story_id.is_not(None),
        )
        .order_by(articles.c.id.desc())
        .limit(limit)
    )
    return [Sketch(r.id, r.story_id, r.source_id, r.sketch) for r in rows]


def other_coverage(conn: Connection, article_ids: Iterable[int]) -> dict[int, list[Coverage]]:
    """For each article, the other articles of its story (source and url): "also covered by"."""
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
    coverage: dict[int, list[Coverage]] = {i: [] for i in ids}
    for r in rows:
        coverage[r.id].append(Coverage(r.name, r.url))
    return coverage


def image_of(row: Row[*tuple[Any, ...]]) -> Image | None:
    """The lead image of a row of articles or of edition items (the same four columns in both)."""
    return Image(row.image_url, row.image_alt, row.image_width, row.image_height) if row.image_url else None


def _article(row: Row[*tuple[Any, ...]]) -> Article:
    image = image_of(row)
    return Article(
        id=row.id,
        source=row.source_name,
        guid=row.guid,
        url=row.url,
        canonical_url=row.canonical_url,
        title=row.title,
        language=row.language,
        byline=row.byline,
        standfirst=row.standfirst,
        caption=row.caption,
        image=image,
        dateline=row.dateline,
        paragraphs=[p for p in row.body.split("\n\n") if p],
        html=row.html,
        published_at=row.published_at,
        published_guessed=bool(row.published_guessed),
        tags=list(row.tags or []),
        entry_hash=row.entry_hash,
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
    recent = (articles.c.published_at >= since) | (articles.c.published_at.is_(None) & (articles.c.fetched_at >= since))
    query = (  # `recent` is `when >= since` in a form the dates' indexes serve, not a scan of the archive
        _with_source().where(sources.c.name.in_(list(names)), recent).order_by(when.desc(), articles.c.id)
    )
    return [_article(r) for r in conn.execute(query) if r.id not in exclude_ids]


def count_late_articles(
    conn: Connection,
    names: Iterable[str],
    before: datetime,
    fetched_since: datetime | None,
    exclude: Select[int],
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
    return {r.id: _article(r) for r in rows}


def article_by_url(conn: Connection, url: str) -> Article | None:
    row = conn.execute(_with_source().where(articles.c.url == url).order_by(articles.c.id).limit(1)).first()
    return _article(row) if row else None
