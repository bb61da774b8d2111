"""Segments (subscribers.segments) and the recipients of a send to one: a saved search comes back as
it was saved; the recipients are the list's confirmed, non-suppressed members its search finds, by
every filter, and a segment of another list is refused. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from subscribers import tables as t
from subscribers.errors import Conflict, Invalid, InvalidValue
from subscribers.models import MembershipStatus, Subscriber
from subscribers.search import Query
from subscribers.segments import all_segments, get_segment, insert_segment
from subscribers.service import recipients, set_status, upsert_subscriber
from subscribers.suppression import suppress

PEOPLE = [  # address, name, language, status on world, days since joining
    ("ann@example.org", "Ann", "en", "confirmed", 40),
    ("anton@example.de", "Anton", "de", "confirmed", 2),
    ("anna@example.org", "Anna", "en", "pending", 2),
    ("bob@example.org", "Bob", "en", "confirmed", 2),
    ("andy@example.org", "Andy", "en", "unsubscribed", 2),
    ("amy@example.org", "Amy", "en", "confirmed", 3),  # suppressed below
]


@pytest.fixture
def people(engine) -> dict[str, int]:
    now, m = datetime.now(UTC), t.memberships
    ids = {}
    with engine.begin() as conn:
        for email, name, language, status, days in PEOPLE:
            sid, _ = upsert_subscriber(conn, Subscriber(email, name=name, language=language))
            set_status(conn, sid, "world", status, method="admin")
            set_status(conn, sid, "monde", "confirmed", method="admin")
            joined = now - timedelta(days=days)
            conn.execute(
                update(m).where(m.c.subscriber_id == sid, m.c.list_id == "world").values(created_at=joined)
            )
            ids[email] = sid
        suppress(conn, "amy@example.org", "complaint")
    return ids


def _to(engine, list_id: str, segment: Query | None) -> list[str]:
    with engine.connect() as conn:
        return sorted(r.email for r in recipients(conn, list_id, batch=2, segment=segment))


def test_a_send_to_a_segment_reaches_the_confirmed_members_its_search_finds(engine, people):
    assert _to(engine, "world", None) == ["ann@example.org", "anton@example.de", "bob@example.org"]
    assert _to(engine, "world", Query(list_id="world", prefix="AN")) == [
        "ann@example.org",
        "anton@example.de",
    ]
    assert _to(engine, "world", Query(list_id="world", prefix="an", language="en")) == ["ann@example.org"]
    recent = Query(list_id="world", joined_from=date.today() - timedelta(days=7))
    assert _to(engine, "world", recent) == ["anton@example.de", "bob@example.org"]  # not Amy: suppressed
    assert _to(engine, "world", Query(list_id="world", statuses=(MembershipStatus.PENDING,))) == []
    assert _to(engine, "world", Query(list_id="world", name="bo")) == ["bob@example.org"]
    with pytest.raises(Invalid, match="of the list 'monde', not 'world'"):
        _to(engine, "world", Query(list_id="monde"))


def test_a_segment_is_kept_as_it_was_saved_and_named_once_per_list(engine, people):
    query = Query(prefix="an", name="An", statuses=(MembershipStatus.CONFIRMED, MembershipStatus.PENDING),
                  list_id="world", language="en", timezone="Europe/Paris", joined_from=date(2026, 1, 2),
                  joined_to=date(2026, 3, 4))  # fmt: skip
    with engine.begin() as conn:
        made = insert_segment(conn, "  Early   readers ", query, "admin")
        assert made.name == "Early readers"
        assert get_segment(conn, made.id) == made and get_segment(conn, made.id).query == query
        with pytest.raises(Conflict):
            insert_segment(conn, "Early readers", query, "admin")
        other = insert_segment(conn, "Early readers", Query(list_id="monde"), "admin")  # another list: fine
        assert [s.id for s in all_segments(conn, "monde")] == [other.id]
        with pytest.raises(InvalidValue, match="list_id"):
            insert_segment(conn, "Nowhere", Query(language="en"), "admin")
        with pytest.raises(InvalidValue, match="name"):
            insert_segment(conn, "\t", query, "admin")
