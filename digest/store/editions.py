"""Editions, their items and deliveries: rows <-> domain objects."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select, update

from digest.domain import Brief, Delivery, Edition, Quote

from .tables import deliveries, edition_items, editions


def now() -> datetime:
    return datetime.now(UTC)


def insert_edition(conn: Connection, edition: Edition) -> int:
    edition_id = conn.execute(
        insert(editions).values(
            list_id=edition.list_id,
            status=edition.status,
            subject=edition.subject,
            intro=edition.intro,
            created_at=now(),
        )
    ).inserted_primary_key[0]
    for position, brief in enumerate(edition.items):
        conn.execute(
            insert(edition_items).values(
                edition_id=edition_id,
                article_id=brief.article_id,
                position=position,
                title=brief.title,
                url=brief.url,
                source=brief.source,
                language=brief.language,
                byline=brief.byline,
                lede=brief.lede,
                quotes=[{"text": q.text, "speaker": q.speaker, "cue": q.cue} for q in brief.quotes],
            )
        )
    edition.id = edition_id
    return edition_id


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
        items=[_brief(r) for r in items],
    )


def list_editions(conn: Connection, list_id: str | None = None, statuses: Iterable[str] | None = None):
    query = select(editions).order_by(editions.c.id)
    if list_id:
        query = query.where(editions.c.list_id == list_id)
    if statuses:
        query = query.where(editions.c.status.in_(list(statuses)))
    return conn.execute(query).all()


def used_article_ids(conn: Connection, list_id: str) -> set[int]:
    """Articles already placed in an edition of the list that was not canceled."""
    query = (
        select(edition_items.c.article_id)
        .join(editions, editions.c.id == edition_items.c.edition_id)
        .where(editions.c.list_id == list_id, editions.c.status != "canceled")
        .where(edition_items.c.article_id.is_not(None))
    )
    return set(conn.execute(query).scalars())


def set_edition_status(conn: Connection, edition_id: int, status: str) -> None:
    values = {"status": status}
    if status == "sent":
        values["sent_at"] = now()
    conn.execute(update(editions).where(editions.c.id == edition_id).values(**values))


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
