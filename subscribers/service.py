"""Lists, subscribers, memberships and recipients. Every status change writes a consent event."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, select, update

from subscribers import tables as t
from subscribers.addresses import address_hash, identity, normalize
from subscribers.columns import one_of
from subscribers.errors import Conflict, Invalid, NotFound
from subscribers.models import RECEIVING, MailingList, Membership, MembershipStatus, Recipient, Subscriber
from subscribers.search import Query, matching, name_key
from subscribers.tokens import Claim


def now() -> datetime:
    return datetime.now(UTC)


def _list_values(lst: MailingList) -> dict[str, object]:
    """A list's columns: a MailingList's own fields (a ListSettings' pipeline settings stay in config.yaml)."""
    return lst.model_dump(include=set(MailingList.model_fields))


def sync_lists(conn: Connection, lists: Iterable[MailingList]) -> None:
    """Create or update the lists the configuration declares."""
    for lst in lists:
        values = _list_values(lst)
        values.pop("id")
        changed = conn.execute(update(t.lists).where(t.lists.c.id == lst.id).values(**values)).rowcount
        if not changed:
            conn.execute(insert(t.lists).values(id=lst.id, **values))


def create_list(conn: Connection, lst: MailingList) -> None:
    if get_list(conn, lst.id) is not None:
        raise Conflict(f"a list with id {lst.id!r} already exists")
    conn.execute(insert(t.lists).values(**_list_values(lst)))


def update_list(conn: Connection, lst: MailingList) -> None:
    """Store a list's new fields (made by subscribers.models.new_list); NotFound when there is none."""
    values = _list_values(lst)
    values.pop("id")
    if not conn.execute(update(t.lists).where(t.lists.c.id == lst.id).values(**values)).rowcount:
        raise NotFound(f"no list with id {lst.id!r}")


def _mailing_list(row: Row[*tuple[Any, ...]]) -> MailingList:
    return MailingList.model_validate(row._asdict())


def get_list(conn: Connection, list_id: str) -> MailingList | None:
    row = conn.execute(select(t.lists).where(t.lists.c.id == list_id)).first()
    return _mailing_list(row) if row else None


def all_lists(conn: Connection) -> list[MailingList]:
    return [_mailing_list(row) for row in conn.execute(select(t.lists).order_by(t.lists.c.id))]


def require_list(conn: Connection, list_id: str) -> MailingList:
    """The list with this id; NotFound, naming the lists there are, when there is none."""
    lst = get_list(conn, list_id)
    if lst is None:
        known = ", ".join(x.id for x in all_lists(conn)) or "none yet"
        raise NotFound(f"no list with id {list_id!r} (known: {known})")
    return lst


def is_suppressed(conn: Connection, email: str) -> bool:
    return (
        conn.execute(
            select(t.suppressions.c.id).where(t.suppressions.c.email_hash == address_hash(email))
        ).first()
        is not None
    )


def _subscriber(row: Row[*tuple[Any, ...]]) -> Subscriber:
    return Subscriber(
        email=row.email,
        name=row.name,
        language=row.language,
        timezone=row.timezone,
        attributes=dict(row.attributes or {}),
        id=row.id,
        nonce=row.token_nonce,
        tracking=row.tracking,
    )


def get_subscriber(conn: Connection, subscriber_id: int) -> Subscriber | None:
    row = conn.execute(select(t.subscribers).where(t.subscribers.c.id == subscriber_id)).first()
    return _subscriber(row) if row else None


# A token signed this long before its subscriber's row was made is still theirs: the row's time is
# taken in microseconds, the token's in whole seconds, on clocks of one deployment.
CLOCK_SLACK = timedelta(seconds=2)


def token_holder(conn: Connection, claim: Claim) -> Subscriber | None:
    """The subscriber a link was made for, or None when that person is no longer here.

    A token acts only on the subscriber holding its id *and* its nonce. Ids are never handed out
    again, and erasure deletes the person with their nonce, so a link of someone erased acts on
    nobody. Links made before nonces (migration 0006) carry none: they act only on a subscriber
    from that time (whose nonce is NULL) and only if signed after that subscriber's row was made,
    so not on someone who got an erased person's id before ids stopped being reused.
    """
    row = conn.execute(select(t.subscribers).where(t.subscribers.c.id == claim.subject_id)).first()
    if row is None or row.token_nonce != claim.nonce:
        return None
    if claim.nonce is None and claim.signed_at < row.created_at - CLOCK_SLACK:
        return None
    return _subscriber(row)


def find_subscriber(conn: Connection, email: str) -> Subscriber | None:
    """The subscriber with this address, whatever its case; raises InvalidAddress for a malformed one."""
    key = identity(normalize(email))
    row = conn.execute(select(t.subscribers).where(t.subscribers.c.email_key == key)).first()
    return _subscriber(row) if row else None


def upsert_subscriber(conn: Connection, sub: Subscriber) -> tuple[int, bool]:
    """Insert or merge a subscriber by identity. Returns (id, created)."""
    email = normalize(sub.email)
    row = conn.execute(
        select(t.subscribers.c.id, t.subscribers.c.attributes).where(
            t.subscribers.c.email_key == identity(email)
        )
    ).first()
    if row is None:
        new_id = conn.execute(
            insert(t.subscribers).values(
                email=email,
                email_key=identity(email),
                name=sub.name,
                name_key=name_key(sub.name),
                language=sub.language,
                timezone=sub.timezone,
                attributes=sub.attributes,
                created_at=now(),
            )
            .returning(t.subscribers.c.id)
        ).scalar_one()
        return new_id, True
    given = (("name", sub.name), ("language", sub.language), ("timezone", sub.timezone))
    merged: dict[str, object] = {k: v for k, v in given if v}
    if sub.name:
        merged["name_key"] = name_key(sub.name)
    if sub.attributes:
        merged["attributes"] = {**(row.attributes or {}), **sub.attributes}
    if merged:
        conn.execute(update(t.subscribers).where(t.subscribers.c.id == row.id).values(**merged))
    return row.id, False


def membership_status(conn: Connection, subscriber_id: int, list_id: str) -> MembershipStatus | None:
    m = t.memberships
    status = conn.execute(
        select(m.c.status).where(m.c.subscriber_id == subscriber_id, m.c.list_id == list_id)
    ).scalar()
    return None if status is None else MembershipStatus(status)


def memberships(conn: Connection, subscriber_id: int) -> list[Membership]:
    m = t.memberships
    rows = conn.execute(
        select(m.c.list_id, m.c.status, m.c.status_changed_at, m.c.created_at)
        .where(m.c.subscriber_id == subscriber_id)
        .order_by(m.c.list_id)
    )
    return [
        Membership(r.list_id, MembershipStatus(r.status), r.status_changed_at, r.created_at) for r in rows
    ]


def set_status(
    conn: Connection,
    subscriber_id: int,
    list_id: str,
    status: str,
    *,
    method: str,
    origin: str | None = None,
    wording: str | None = None,
) -> bool:
    """Set a membership's status (a MembershipStatus, or its value), recording the consent event.
    Returns True when the status changed."""
    status = MembershipStatus(status)
    key = and_(t.memberships.c.subscriber_id == subscriber_id, t.memberships.c.list_id == list_id)
    current = conn.execute(select(t.memberships.c.status).where(key)).scalar()
    if current == status:
        return False
    at = now()
    if current is None:
        conn.execute(
            insert(t.memberships).values(
                subscriber_id=subscriber_id,
                list_id=list_id,
                status=status,
                status_changed_at=at,
                created_at=at,
            )
        )
    else:
        conn.execute(update(t.memberships).where(key).values(status=status, status_changed_at=at))
    conn.execute(
        insert(t.consent_events).values(
            subscriber_id=subscriber_id,
            list_id=list_id,
            status=status,
            method=method,
            origin=origin,
            wording=wording,
            at=at,
        )
    )
    return True


def unsubscribe(
    conn: Connection, subscriber_id: int, list_id: str | None, *, method: str, origin: str | None = None
) -> list[str]:
    """Leave one list, or every list when `list_id` is None, of those the subscriber is pending or
    confirmed on. Returns the lists left: none when there was nothing to leave (leaving twice is harmless)."""
    left = [
        ms.list_id
        for ms in memberships(conn, subscriber_id)
        if ms.status in RECEIVING and list_id in (None, ms.list_id)
    ]
    for leaving in left:
        set_status(conn, subscriber_id, leaving, MembershipStatus.UNSUBSCRIBED, method=method, origin=origin)
    return left


def update_subscriber(conn: Connection, subscriber_id: int, **values: str | bool | None) -> None:
    """Change a subscriber's own details (language, timezone, name, tracking), already checked by the caller."""
    if "name" in values:
        name = values["name"]
        values["name_key"] = name_key(name if isinstance(name, str) else None)
    if values:
        conn.execute(update(t.subscribers).where(t.subscribers.c.id == subscriber_id).values(**values))


def recipients(
    conn: Connection, list_id: str, batch: int = 1000, segment: Query | None = None
) -> Iterator[Recipient]:
    """The list's confirmed, non-suppressed members (of them, those a segment of the list finds),
    streamed in id order, one batch in memory."""
    s, m = t.subscribers, t.memberships
    query = (
        select(s.c.id, s.c.email, s.c.name, s.c.language, s.c.timezone)
        .join(m, m.c.subscriber_id == s.c.id)
        .where(m.c.list_id == list_id, m.c.status == MembershipStatus.CONFIRMED)
        .order_by(s.c.id)
    )
    if segment is not None:
        if segment.list_id != list_id:
            raise Invalid(f"this segment is a search of the list {segment.list_id!r}, not {list_id!r}")
        query = query.where(*matching(conn, segment))
    last = 0
    while True:
        rows = conn.execute(query.where(s.c.id > last).limit(batch)).all()
        hashes = {row.id: address_hash(row.email) for row in rows}
        suppressed = (
            set(
                conn.execute(
                    select(t.suppressions.c.email_hash).where(
                        one_of(conn, t.suppressions.c.email_hash, list(hashes.values()))
                    )
                ).scalars()
            )
            if rows
            else set()
        )
        for row in rows:
            if hashes[row.id] not in suppressed:
                yield Recipient(row.id, row.email, list_id, row.name, row.language, row.timezone)
        if len(rows) < batch:
            return
        last = rows[-1].id


def member_counts(conn: Connection, list_id: str) -> dict[MembershipStatus, int]:
    """The list's members by status, of the statuses someone has."""
    m = t.memberships
    rows = conn.execute(
        select(m.c.status, func.count()).where(m.c.list_id == list_id).group_by(m.c.status)
    ).all()
    return {MembershipStatus(status): n for status, n in rows}
