"""Editions: the edition, its items (Briefs, every field the mail shows) and its change log."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, delete, func, insert, select, update

from digest.domain import Brief, Change, Coverage, Edition, EditionStatus, Quote
from digest.store.articles import count_late_articles, image_of
from digest.store.tables import articles, edition_changes, edition_items, editions


def now() -> datetime:
    return datetime.now(UTC)


def insert_edition(conn: Connection, edition: Edition) -> int:
    edition_id: int = conn.execute(
        insert(editions)
        .values(
            list_id=edition.list_id,
            status=edition.status,
            subject=edition.subject,
            intro=edition.intro,
            created_at=now(),
        )
        .returning(editions.c.id)
    ).scalar_one()
    edition.id = edition_id
    write_items(conn, edition_id, edition.items)
    return edition_id


def _item_values(brief: Brief) -> dict[str, Any]:
    image = brief.image
    return {
        "article_id": brief.article_id,
        "title": brief.title,
        "url": brief.url,
        "source": brief.source,
        "language": brief.language,
        "byline": brief.byline,
        "lede": brief.lede,
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "cue": q.cue, "paraphrase": q.paraphrase}
            for q in brief.quotes
        ],
        "words": brief.words,
        "also": [{"source": c.source, "url": c.url} for c in brief.also],
        "caption": brief.caption,
        "image_url": image.url if image else None,
        "image_alt": image.alt if image else None,
        "image_width": image.width if image else None,
        "image_height": image.height if image else None,
    }


def write_items(conn: Connection, edition_id: int, items: list[Brief]) -> None:
    """Replace an edition's items with these, in this order, every field kept."""
    conn.execute(delete(edition_items).where(edition_items.c.edition_id == edition_id))
    if items:
        conn.execute(
            insert(edition_items),
            [
                {"edition_id": edition_id, "position": position, **_item_values(brief)}
                for position, brief in enumerate(items)
            ],
        )


def _brief(row: Row[*tuple[Any, ...]]) -> Brief:
    return Brief(
        title=row.title,
        lede=row.lede,
        quotes=[Quote(**q) for q in row.quotes],
        url=row.url,
        source=row.source,
        language=row.language,
        byline=row.byline,
        caption=row.caption,
        image=image_of(row),
        article_id=row.article_id,
        words=row.words,
        also=[Coverage(**c) for c in row.also or []],
        item_id=row.id,
    )


def item_url(conn: Connection, edition_id: int, item_id: int) -> str | None:
    """The link an edition's item carried, by its id (one primary-key read); None when the item is
    not that edition's or has no link."""
    return conn.execute(
        select(edition_items.c.url).where(edition_items.c.id == item_id, edition_items.c.edition_id == edition_id)
    ).scalar()


def update_edition(conn: Connection, edition_id: int, **values: object) -> None:
    """Set an edition's subject, intro, scheduled_for or segment_id."""
    conn.execute(update(editions).where(editions.c.id == edition_id).values(**values))


def begin_sending(conn: Connection, edition_id: int, from_statuses: Iterable[EditionStatus]) -> bool:
    """Move the edition to 'sending' if it is in one of `from_statuses`; True for the one caller that did.
    A single conditional UPDATE: of two processes starting one send, the second finds it done."""
    moved = conn.execute(
        update(editions)
        .where(editions.c.id == edition_id, editions.c.status.in_(list(from_statuses)))
        .values(status=EditionStatus.SENDING)
    ).rowcount
    return moved == 1


def lock_edition(conn: Connection, edition_id: int) -> None:
    """Hold the edition for the rest of the caller's transaction: a second change to it waits until
    this one is committed, then reads the change log as it is (a no-op write: PostgreSQL's row lock,
    SQLite's write lock, taken before anything is read)."""
    conn.execute(update(editions).where(editions.c.id == edition_id).values(id=editions.c.id))


def set_edition_status(conn: Connection, edition_id: int, status: EditionStatus) -> None:
    values: dict[str, object] = {"status": status}
    if status == EditionStatus.SENT:
        values["sent_at"] = now()
    conn.execute(update(editions).where(editions.c.id == edition_id).values(**values))


def _edition(row: Row[*tuple[Any, ...]], items: list[Brief]) -> Edition:
    return Edition(
        id=row.id,
        list_id=row.list_id,
        status=EditionStatus(row.status),
        subject=row.subject,
        intro=row.intro,
        created_at=row.created_at,
        sent_at=row.sent_at,
        scheduled_for=row.scheduled_for,
        items=items,
        segment_id=row.segment_id,
    )


def _items_of(conn: Connection, edition_ids: list[int]) -> dict[int, list[Brief]]:
    found: dict[int, list[Brief]] = {i: [] for i in edition_ids}
    if edition_ids:
        rows = conn.execute(
            select(edition_items)
            .where(edition_items.c.edition_id.in_(edition_ids))
            .order_by(edition_items.c.edition_id, edition_items.c.position)
        )
        for row in rows:
            found[row.edition_id].append(_brief(row))
    return found


def unsent_with_segment(conn: Connection, segment_id: int) -> list[int]:
    """The editions to be sent to a segment that have not gone out yet (drafts to sending)."""
    done = (EditionStatus.SENT, EditionStatus.CANCELED)
    stmt = select(editions.c.id).where(editions.c.segment_id == segment_id, editions.c.status.not_in(done))
    return list(conn.execute(stmt.order_by(editions.c.id)).scalars())


def list_of_edition(conn: Connection, edition_id: int) -> str | None:
    """The list of an edition, without loading its items (None when there is no such edition)."""
    found: str | None = conn.execute(select(editions.c.list_id).where(editions.c.id == edition_id)).scalar()
    return found


def load_edition(conn: Connection, edition_id: int) -> Edition | None:
    row = conn.execute(select(editions).where(editions.c.id == edition_id)).first()
    if row is None:
        return None
    return _edition(row, _items_of(conn, [edition_id])[edition_id])


def list_editions(
    conn: Connection, list_id: str | None = None, statuses: Iterable[EditionStatus] | None = None
) -> list[Edition]:
    """Editions, oldest first, with their items; of one list, in some statuses, when given."""
    query = select(editions).order_by(editions.c.id)
    if list_id:
        query = query.where(editions.c.list_id == list_id)
    if statuses is not None:
        query = query.where(editions.c.status.in_(list(statuses)))
    rows = conn.execute(query).all()
    items = _items_of(conn, [row.id for row in rows])
    return [_edition(row, items[row.id]) for row in rows]


def last_edition(conn: Connection, list_id: str) -> Edition | None:
    newest = conn.execute(select(func.max(editions.c.id)).where(editions.c.list_id == list_id)).scalar()
    return load_edition(conn, newest) if newest is not None else None


def recent_editions(
    conn: Connection, list_id: str, statuses: Iterable[EditionStatus], limit: int | None = None
) -> list[Edition]:
    """The list's editions in one of the statuses, newest first (the newest `limit`), with their items."""
    query = (
        select(editions)
        .where(editions.c.list_id == list_id, editions.c.status.in_(list(statuses)))
        .order_by(editions.c.id.desc())
        .limit(limit)
    )
    rows = conn.execute(query).all()
    items = _items_of(conn, [row.id for row in rows])
    return [_edition(row, items[row.id]) for row in rows]


def newest_edition(conn: Connection, list_id: str, statuses: Iterable[EditionStatus]) -> Edition | None:
    """The list's newest edition in one of the statuses, with its items."""
    newest = conn.execute(
        select(func.max(editions.c.id)).where(
            editions.c.list_id == list_id, editions.c.status.in_(list(statuses))
        )
    ).scalar()
    return load_edition(conn, newest) if newest is not None else None


def list_of(conn: Connection, edition_id: int) -> str | None:
    """The id of the list an edition belongs to."""
    return conn.execute(select(editions.c.list_id).where(editions.c.id == edition_id)).scalar()


def open_draft(conn: Connection, list_id: str) -> int | None:
    """The list's newest edition still in draft, if any."""
    return conn.execute(
        select(editions.c.id)
        .where(editions.c.list_id == list_id, editions.c.status == EditionStatus.DRAFT)
        .order_by(editions.c.id.desc())
        .limit(1)
    ).scalar()


def last_sent_at(conn: Connection, list_id: str) -> datetime | None:
    return conn.execute(
        select(func.max(editions.c.sent_at)).where(
            editions.c.list_id == list_id, editions.c.status == EditionStatus.SENT
        )
    ).scalar()


def record_change(conn: Connection, edition_id: int, actor: str, op: str, args: dict[str, Any]) -> None:
    conn.execute(
        insert(edition_changes).values(edition_id=edition_id, actor=actor, at=now(), op=op, args=args)
    )


def changes(conn: Connection, edition_id: int) -> list[Change]:
    """The edition's change log, oldest first."""
    rows = conn.execute(
        select(edition_changes)
        .where(edition_changes.c.edition_id == edition_id)
        .order_by(edition_changes.c.id)
    )
    return [Change(row.actor, row.at, row.op, dict(row.args), row.id) for row in rows]


def _used_articles(list_id: str, but: int | None = None) -> Select[int]:
    """The query of the articles already placed in an edition of the list that was not canceled
    (other than `but`)."""
    return (
        select(edition_items.c.article_id)
        .join(editions, editions.c.id == edition_items.c.edition_id)
        .where(editions.c.list_id == list_id, editions.c.status != EditionStatus.CANCELED)
        .where(edition_items.c.article_id.is_not(None), editions.c.id != (but or 0))
    )


def used_article_ids(conn: Connection, list_id: str, among: Collection[int], but: int | None = None) -> set[int]:
    """The articles of `among` that an edition of the list (other than `but`) already carries."""
    if not among:
        return set()
    return set(conn.execute(_used_articles(list_id, but).where(edition_items.c.article_id.in_(list(among)))).scalars())


def used_stories(conn: Connection, list_id: str, among: Collection[int], but: int | None = None) -> set[int]:
    """The stories of `among` that an edition of the list (other than `but`) already carries."""
    if not among:
        return set()
    return set(
        conn.execute(
            select(articles.c.story_id)
            .where(articles.c.story_id.in_(list(among)), articles.c.id.in_(_used_articles(list_id, but)))
            .distinct()
        ).scalars()
    )


def count_late_for_list(
    conn: Connection,
    list_id: str,
    sources: Iterable[str],
    before: datetime,
    fetched_since: datetime | None,
    but: int | None = None,
) -> int:
    """Articles of the sources published before `before`, fetched since `fetched_since` (all of them
    when None), that no edition of the list (other than `but`) carries."""
    return count_late_articles(conn, sources, before, fetched_since, _used_articles(list_id, but))
