"""Editions, their items and deliveries: rows <-> domain objects."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from digest.domain import Brief, Coverage, Delivery, Edition, Quote

from .tables import deliveries, edition_changes, edition_items, editions


def now() -> datetime:
    return datetime.now(UTC)


def insert_edition(conn: Connection, edition: Edition) -> int:
    edition.id = conn.execute(
        insert(editions).values(
            list_id=edition.list_id,
            status=edition.status,
            subject=edition.subject,
            intro=edition.intro,
            created_at=now(),
        )
    ).inserted_primary_key[0]
    write_items(conn, edition.id, edition.items)
    return edition.id


def write_items(conn: Connection, edition_id: int, items: list[Brief]) -> None:
    """Replace an edition's items with these, in this order."""
    conn.execute(delete(edition_items).where(edition_items.c.edition_id == edition_id))
    if items:
        conn.execute(
            insert(edition_items),
            [
                {
                    "edition_id": edition_id,
                    "article_id": brief.article_id,
                    "position": position,
                    "title": brief.title,
                    "url": brief.url,
                    "source": brief.source,
                    "language": brief.language,
                    "byline": brief.byline,
                    "lede": brief.lede,
                    "quotes": [{"text": q.text, "speaker": q.speaker, "cue": q.cue} for q in brief.quotes],
                    "words": brief.words,
                    "also": [{"source": c.source, "url": c.url} for c in brief.also],
                }
                for position, brief in enumerate(items)
            ],
        )


def update_edition(conn: Connection, edition_id: int, **values) -> None:
    """Set an edition's subject, intro or scheduled_for."""
    conn.execute(update(editions).where(editions.c.id == edition_id).values(**values))


def set_edition_status(conn: Connection, edition_id: int, status: str) -> None:
    values = {"status": status}
    if status == "sent":
        values["sent_at"] = now()
    conn.execute(update(editions).where(editions.c.id == edition_id).values(**values))


def _brief(row) -> Brief:
    return Brief(
        title=row.title,
        lede=row.lede,
        quotes=[Quote(**q) for q in row.quotes],
        url=row.url,
        source=row.source,
        language=row.language,
        byline=row.byline,
        article_id=row.article_id,
        words=row.words,
        also=[Coverage(**c) for c in row.also or []],
    )


def load_edition(conn: Connection, edition_id: int) -> Edition | None:
    row = conn.execute(select(editions).where(editions.c.id == edition_id)).first()
    if row is None:
        return None
    items = conn.execute(
        select(edition_items)
        .where(edition_items.c.edition_id == edition_id)
        .order_by(edition_items.c.position)
    )
    return Edition(
        id=row.id,
        list_id=row.list_id,
        status=row.status,
        subject=row.subject,
        intro=row.intro,
        created_at=row.created_at,
        sent_at=row.sent_at,
        scheduled_for=row.scheduled_for,
        items=[_brief(r) for r in items],
    )


def list_editions(conn: Connection, list_id: str | None = None, statuses: Iterable[str] | None = None):
    query = select(editions).order_by(editions.c.id)
    if list_id:
        query = query.where(editions.c.list_id == list_id)
    if statuses:
        query = query.where(editions.c.status.in_(list(statuses)))
    return conn.execute(query).all()


def open_draft(conn: Connection, list_id: str) -> int | None:
    """The list's newest edition still in draft, if any."""
    return conn.execute(
        select(editions.c.id)
        .where(editions.c.list_id == list_id, editions.c.status == "draft")
        .order_by(editions.c.id.desc())
        .limit(1)
    ).scalar()


def last_sent_at(conn: Connection, list_id: str) -> datetime | None:
    return conn.execute(
        select(func.max(editions.c.sent_at)).where(editions.c.list_id == list_id, editions.c.status == "sent")
    ).scalar()


def record_change(conn: Connection, edition_id: int, actor: str, op: str, args: dict) -> None:
    conn.execute(
        insert(edition_changes).values(edition_id=edition_id, actor=actor, at=now(), op=op, args=args)
    )


def changes(conn: Connection, edition_id: int) -> list:
    """The edition's change log, oldest first: rows with actor, at, op, args."""
    return conn.execute(
        select(edition_changes)
        .where(edition_changes.c.edition_id == edition_id)
        .order_by(edition_changes.c.id)
    ).all()


def used_article_ids(conn: Connection, list_id: str, but: int | None = None) -> set[int]:
    """Articles already placed in an edition of the list that was not canceled (other than `but`)."""
    query = (
        select(edition_items.c.article_id)
        .join(editions, editions.c.id == edition_items.c.edition_id)
        .where(editions.c.list_id == list_id, editions.c.status != "canceled")
        .where(edition_items.c.article_id.is_not(None), editions.c.id != (but or 0))
    )
    return set(conn.execute(query).scalars())


def delivery_counts(conn: Connection, edition_id: int) -> dict[str, int]:
    rows = conn.execute(
        select(deliveries.c.status, func.count())
        .where(deliveries.c.edition_id == edition_id)
        .group_by(deliveries.c.status)
    ).all()
    return {status: n for status, n in rows}


def insert_deliveries(conn: Connection, edition_id: int, rows: list[Delivery]) -> None:
    if rows:
        at = now()
        conn.execute(
            insert(deliveries),
            [
                {
                    "edition_id": edition_id,
                    "subscriber_id": d.subscriber_id,
                    "email": d.email,
                    "status": "pending",
                    "attempts": 0,
                    "updated_at": at,
                }
                for d in rows
            ],
        )


def claim_batch(conn: Connection, edition_id: int, size: int) -> list[Delivery]:
    """Move up to `size` pending (or stranded in-flight) rows to 'sending' and return them."""
    query = (
        select(deliveries)
        .where(deliveries.c.edition_id == edition_id, deliveries.c.status.in_(("pending", "sending")))
        .order_by(deliveries.c.id)
        .limit(size)
    )
    rows = conn.execute(query).all()
    if rows:
        conn.execute(
            update(deliveries)
            .where(deliveries.c.id.in_([r.id for r in rows]))
            .values(status="sending", attempts=deliveries.c.attempts + 1, updated_at=now())
        )
    return [
        Delivery(
            id=r.id,
            edition_id=r.edition_id,
            subscriber_id=r.subscriber_id,
            email=r.email,
            status="sending",
            attempts=r.attempts + 1,
        )
        for r in rows
    ]


def finish_delivery(
    conn: Connection,
    delivery_id: int,
    status: str,
    *,
    error: str | None = None,
    message_id: str | None = None,
) -> None:
    conn.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id)
        .values(status=status, error=error, message_id=message_id, updated_at=now())
    )
