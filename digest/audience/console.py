"""The admin console's subscribers: the table (a search, a page at a time), a subscriber's page,
their privacy export and erasure (the export of a search is digest.audience.members'). subscribers.search has the queries; this adds
what digest brings: the signed page links, the counts' cache, the deliveries and the audit log.

Counts per list and status are exact, counted by one pass over the memberships' (list_id, status,
...) index, and kept for COUNTS_TTL seconds per process (digest.audience.kept): a page load does not
count the table, and a count is at most that old (the page says when it was counted). Counters kept by triggers would be
exact at every moment, but every subscription, import and bounce would update one of a few shared
rows, which on PostgreSQL serializes, and can deadlock, concurrent imports and confirmations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from digest.accounts import audit
from digest.audience import members, privacy
from digest.audience.kept import Kept
from digest.audience.service import Audience
from digest.domain import Actor
from digest.errors import ConfigError, Invalid, NotFound
from digest.store.deliveries import SentEdition, editions_sent_to
from subscribers import search
from subscribers.errors import InvalidValue
from subscribers.models import MailingList, MembershipStatus, language_code, status_named, time_zone
from subscribers.privacy import export_address
from subscribers.search import Order, Page, Position, Query
from subscribers.service import all_lists, get_subscriber, require_list

COUNTS_TTL = 60.0  # seconds a count is kept
PAGE_SIZE = 50


def query_of(
    *,
    prefix: str = "",
    name: str = "",
    statuses: list[str] | tuple[str, ...] = (),
    list_id: str | None = None,
    language: str | None = None,
    timezone: str | None = None,
    joined_from: str | None = None,
    joined_to: str | None = None,
) -> Query:
    """A search from what a form or a command gave, each value checked (InvalidValue names it)."""
    return Query(
        prefix=prefix.strip(),
        name=name.strip(),
        statuses=tuple(status_named(s) for s in statuses if s),
        list_id=list_id or None,
        language=language_code(language) if language else None,
        timezone=time_zone(timezone) if timezone else None,
        joined_from=_date("joined_from", joined_from),
        joined_to=_date("joined_to", joined_to),
    )


def _date(field: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValue(field, value, "is not a date (YYYY-MM-DD)") from None


# --- the table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    lists: dict[str, dict[MembershipStatus, int]]  # list id -> status -> members
    counted_at: datetime


_counts: Kept[Counts] = Kept(COUNTS_TTL)


@dataclass(frozen=True)
class Table:
    query: Query
    page: Page
    next_cursor: str | None  # the page after, as an opaque signed token
    previous_cursor: str | None


def _signer(aud: Audience) -> URLSafeSerializer:
    if not aud.secret_key:
        raise ConfigError("DIGEST_SECRET_KEY is not set: the console's page links are signed with it")
    return URLSafeSerializer(aud.secret_key, salt="digest.console.page")


def _cursor(aud: Audience, query: Query, position: Position) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in position.values]
    payload = {"o": position.order.value, "v": values, "b": position.backwards, "q": query.describe()}
    return str(_signer(aud).dumps(payload))


STALE = "this page link is damaged, or belongs to another search: the search starts again from its first page"


def _position(aud: Audience, query: Query, cursor: str) -> Position:
    """The position a cursor names; Invalid when it was altered or made for another search."""
    try:
        payload = _signer(aud).loads(cursor)
        order = Order(payload["o"])
        raw = payload["v"]
        if payload["q"] != query.describe() or order is not query.order or not isinstance(raw, list):
            raise Invalid(STALE)
        values: tuple[Any, ...]
        if order is Order.ADDRESS:
            (key,) = raw
            values = (str(key),)
        elif order is Order.NAME:
            key, sid = raw
            values = (str(key), _int(sid))
        else:
            moment, sid = raw
            values = (datetime.fromisoformat(moment).astimezone(UTC), _int(sid))
        return Position(order, values, bool(payload["b"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        raise Invalid(STALE) from None


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(value)
    return value


def table(aud: Audience, query: Query, cursor: str | None = None, size: int = PAGE_SIZE) -> Table:
    """A page of the search: the first, or the one a cursor names (Invalid when it was tampered
    with or made for another search); NotFound for a list there is not."""
    position = _position(aud, query, cursor) if cursor else None
    with aud.engine.connect() as conn:
        if query.list_id:
            require_list(conn, query.list_id)
        found = search.page(conn, query, position, size)
    order = query.order
    rows = found.rows
    after = _cursor(aud, query, rows[-1].position(order)) if rows and found.more_after else None
    before = _cursor(aud, query, rows[0].position(order, backwards=True)) if rows and found.more_before else None
    return Table(query, found, after, before)


def counts(aud: Audience) -> Counts:
    """Every list's members by status, counted at most every COUNTS_TTL seconds per process."""

    def count() -> Counts:
        with aud.engine.connect() as conn:
            found = search.member_counts(conn)
        return Counts(found, datetime.now(UTC))

    return _counts.get(aud.engine, "lists", count)


def lists(aud: Audience) -> list[MailingList]:
    """The lists, for the search's choice of one."""
    with aud.engine.connect() as conn:
        return all_lists(conn)


def export(aud: Audience, query: Query, actor: Actor) -> Iterator[str]:
    """The search's rows as CSV chunks (digest.audience.members.export_chunks), the download audited
    with its filters."""
    chunks = members.export_chunks(aud, query)
    with aud.engine.begin() as conn:
        audit.record(conn, actor, "subscribers.export", "subscribers", None, query.describe())
    return chunks


# --- one subscriber ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consent:
    list_id: str
    status: str
    method: str
    origin: str | None
    wording: str | None
    at: datetime


@dataclass(frozen=True)
class SubscriberPage:
    id: int
    email: str
    name: str | None
    language: str | None
    timezone: str | None
    attributes: dict[str, str]
    created_at: datetime
    memberships: list[dict[str, Any]]  # list, status, status_changed_at, created_at (datetimes)
    consent: list[Consent]  # oldest first
    suppression: dict[str, Any] | None  # reason, since
    sent: list[SentEdition]  # newest first, each with its events
    tracking: bool = True  # opens and clicks may be tracked (False: they opted out)


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def subscriber_page(aud: Audience, subscriber_id: int) -> SubscriberPage:
    """What the console shows of one subscriber; NotFound when there is none (erased, or never)."""
    with aud.engine.connect() as conn:
        sub = get_subscriber(conn, subscriber_id)
        if sub is None:
            raise NotFound(f"no subscriber #{subscriber_id}")
        held = export_address(conn, sub.email)
        sent = editions_sent_to(conn, subscriber_id)
    person = held["subscriber"]
    suppression = held["suppression"]
    return SubscriberPage(
        id=subscriber_id,
        email=person["email"],
        name=person["name"],
        language=person["language"],
        timezone=person["timezone"],
        attributes=person["attributes"],
        created_at=datetime.fromisoformat(person["created_at"]),
        memberships=[
            {**ms, "status_changed_at": _moment(ms["status_changed_at"]), "created_at": _moment(ms["created_at"])}
            for ms in held["memberships"]
        ],
        consent=[
            Consent(ev["list"], ev["status"], ev["method"], ev["origin"], ev["wording"], datetime.fromisoformat(ev["at"]))
            for ev in held["consent_events"]
        ],
        suppression={**suppression, "since": _moment(suppression["since"])} if suppression else None,
        sent=sent,
        tracking=sub.tracking,
    )


def _address(aud: Audience, subscriber_id: int) -> str:
    with aud.engine.connect() as conn:
        sub = get_subscriber(conn, subscriber_id)
    if sub is None:
        raise NotFound(f"no subscriber #{subscriber_id}")
    return sub.email


def privacy_export(aud: Audience, subscriber_id: int, actor: Actor) -> dict[str, Any]:
    """Everything held about the subscriber (digest.audience.privacy.export), its reading audited."""
    data = privacy.export(aud, _address(aud, subscriber_id))
    with aud.engine.begin() as conn:
        audit.record(conn, actor, "subscriber.export", "subscriber", subscriber_id)
    return data


def erase(aud: Audience, subscriber_id: int, actor: Actor) -> privacy.Erasure:
    """Erase the subscriber (digest.audience.privacy.erase, the one erasure), audited in the same
    transaction; the log keeps the id and what was done, not the address."""
    email = _address(aud, subscriber_id)
    with aud.engine.begin() as conn:
        done = privacy.erase(conn, email)
        details = {"canceled": done.canceled, "scrubbed": done.scrubbed}
        audit.record(conn, actor, "subscriber.erase", "subscriber", subscriber_id, details)
    return done
