"""What a send leaves, as the JSON API pages through it: an edition's delivery rows (in id order) and
its provider events (in the order they happened), a page at a time by keyset, each page's cursor
the last row's key (an opaque string to the caller)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from sqlalchemy import Connection, Engine

from digest.domain import DeliveryStatus
from digest.errors import Invalid, NotFound
from digest.store.deliveries import DeliveryRecord, deliveries_page
from digest.store.editions import list_of_edition
from digest.store.events import EventRecord, events_page

DAMAGED = "this cursor is damaged: use the `next` of the page before"


def _known(conn: Connection, edition_id: int) -> None:
    if list_of_edition(conn, edition_id) is None:
        raise NotFound(f"no edition {edition_id}")


def deliveries(engine: Engine, edition_id: int, status: DeliveryStatus | None, cursor: str,
               limit: int) -> tuple[list[DeliveryRecord], str | None]:  # fmt: skip
    """A page of the edition's delivery rows after `cursor`, and the cursor of the next (None: the last)."""
    if cursor and not cursor.isdigit():
        raise Invalid(DAMAGED)
    with engine.connect() as conn:
        _known(conn, edition_id)
        rows = deliveries_page(conn, edition_id, status, int(cursor or 0), limit + 1)
    shown = rows[:limit]
    return shown, str(shown[-1].id) if len(rows) > limit else None


def events(engine: Engine, edition_id: int, kind: str | None, cursor: str,
           limit: int) -> tuple[list[EventRecord], str | None]:  # fmt: skip
    """A page of the edition's provider events after `cursor` (of one kind), and the next page's cursor."""
    with engine.connect() as conn:
        _known(conn, edition_id)
        rows = events_page(conn, edition_id, kind, _position(cursor) if cursor else None, limit + 1)
    shown = rows[:limit]
    if len(rows) <= limit:
        return shown, None
    last = shown[-1]
    return shown, base64.urlsafe_b64encode(f"{last.at.isoformat()}\n{last.event_id}".encode()).decode()


def _position(cursor: str) -> tuple[datetime, str]:
    try:
        at, event_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("\n", 1)
        return datetime.fromisoformat(at), event_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Invalid(DAMAGED) from None
