"""The admin console's search (subscribers.search, digest.audience.console): keyset pages that
never skip or repeat a row, filters that combine, the address prefix on its index, and page links
that refuse to be altered. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from digest.audience import console, kept
from digest.audience.service import Audience
from digest.config import Settings
from digest.errors import Invalid
from subscribers import search
from subscribers import tables as t
from subscribers.importer import import_csv
from subscribers.models import MembershipStatus, Subscriber
from subscribers.search import Order, Query
from subscribers.service import set_status, upsert_subscriber
from tests import ROOT

SECRET = "search-test-secret"


def _import(engine, tmp_path, rows: list[dict[str, str]], list_id: str = "world", name: str = "people.csv") -> None:
    """Through the importer, as admins fill lists: a whole chunk is stored with one timestamp."""
    path = tmp_path / name
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with engine.connect() as conn:
        report = import_csv(conn, path, list_id, consent="test")
    assert report.rejected == 0


def _walk(conn, query: Query, size: int) -> list[list[int]]:
    """Every page forward, by each page's last row."""
    pages, at = [], None
    while True:
        found = search.page(conn, query, at, size)
        pages.append([r.id for r in found.rows])
        if not found.more_after:
            return pages
        at = found.rows[-1].position(query.order)


def _walk_back(conn, query: Query, last_page: list[search.Row], size: int) -> list[list[int]]:
    pages, first = [], last_page[0]
    while True:
        found = search.page(conn, query, first.position(query.order, backwards=True), size)
        pages.insert(0, [r.id for r in found.rows])
        if not found.more_before:
            return pages
        first = found.rows[0]


def test_pages_neither_skip_nor_repeat_rows_that_share_their_sort_value(engine, tmp_path):
    _import(engine, tmp_path, [{"email": f"p{n:03}@example.org", "name": "Ann Lee" if n % 3 else f"Bo {n}"}
                               for n in range(130)])  # fmt: skip
    with engine.connect() as conn:
        stamps = set(conn.execute(t.subscribers.select().with_only_columns(t.subscribers.c.created_at)).scalars())
        assert len(stamps) == 1  # one import chunk: every row shares its time
        for query, expected in (
            (Query(), 130),  # newest first: (created_at, id)
            (Query(list_id="world"), 130),  # the list's members newest first: (joined, id)
            (Query(name="ann lee"), 86),  # by name: 86 rows share it, the id settles them
            (Query(prefix="P0"), 100),  # by address
        ):
            pages = _walk(conn, query, 20)
            ids = [i for p in pages for i in p]
            assert len(ids) == expected and len(set(ids)) == expected, query
            assert all(len(p) == 20 for p in pages[:-1])
            last = search.page(conn, query, None, 200).rows[-20 if expected % 20 == 0 else -(expected % 20):]
            assert _walk_back(conn, query, last, 20) == pages[:-1], query  # and back again
        newest = [i for p in _walk(conn, Query(), 20) for i in p]
        assert newest == sorted(newest, reverse=True)  # same time: the newest id first


def test_filters_combine(engine, tmp_path):
    with engine.begin() as conn:
        ids = {}
        for email, name, language, timezone in (
            ("ada@example.org", "Ada", "fr", "Europe/Paris"),
            ("adam@example.org", "Adam", "en", "Europe/Paris"),
            ("Adele@example.org", "Adèle", "fr", "Europe/Paris"),
            ("bob@example.org", "Bob", "fr", "America/New_York"),
        ):
            ids[email], _ = upsert_subscriber(conn, Subscriber(email, name=name, language=language, timezone=timezone))
            set_status(conn, ids[email], "world", "confirmed", method="admin")
        set_status(conn, ids["adam@example.org"], "monde", "pending", method="admin")
        set_status(conn, ids["Adele@example.org"], "world", "unsubscribed", method="admin")
        long_ago = datetime(2024, 1, 10, 12, tzinfo=UTC)
        conn.execute(update(t.subscribers).where(t.subscribers.c.id == ids["bob@example.org"]).values(created_at=long_ago))

    def found(**filters) -> set[str]:
        with engine.connect() as conn:
            return {r.email for r in search.page(conn, console.query_of(**filters), None, 50).rows}

    assert found(prefix="AD") == {"ada@example.org", "adam@example.org", "Adele@example.org"}  # case aside
    assert found(prefix="ada") == {"ada@example.org", "adam@example.org"}
    assert found(prefix="ad", language="fr") == {"ada@example.org", "Adele@example.org"}
    assert found(prefix="ad", language="fr", list_id="world", statuses=["confirmed"]) == {"ada@example.org"}
    assert found(statuses=["pending"]) == {"adam@example.org"}  # on any list
    assert found(list_id="monde") == {"adam@example.org"}
    assert found(name="ADÈ") == {"Adele@example.org"}  # case-folded, accents kept
    assert found(timezone="America/New_York") == {"bob@example.org"}
    assert found(joined_to="2024-01-10") == {"bob@example.org"}
    assert found(joined_from="2024-01-11", language="fr") == {"ada@example.org", "Adele@example.org"}
    today = date.today().isoformat()
    assert found(list_id="world", joined_from=today, statuses=["confirmed", "unsubscribed"], timezone="Europe/Paris") == {
        "ada@example.org", "adam@example.org", "Adele@example.org"}  # fmt: skip
    with engine.connect() as conn:
        row = next(r for r in search.page(conn, Query(list_id="world", prefix="adam"), None).rows)
    assert row.status is MembershipStatus.CONFIRMED
    assert [(m.list_id, m.status) for m in row.memberships] == [("monde", "pending"), ("world", "confirmed")]
    for bad, field in ((dict(statuses=["gone"]), "status"), (dict(timezone="Mars/Base"), "timezone"),
                       (dict(joined_from="last week"), "joined_from"), (dict(language="xx"), "language")):  # fmt: skip
        with pytest.raises(Invalid) as caught:
            console.query_of(**bad)
        assert caught.value.field == field  # type: ignore[attr-defined]


def test_the_address_prefix_is_a_range_of_an_index(sqlite_engine):
    with sqlite_engine.connect() as conn:
        stmt = search._select(conn, Query(prefix="ann")).order_by(*search._keys(Order.ADDRESS, conn)).limit(51)
        sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "USING INDEX" in plan and "email_key>" in plan and "TEMP B-TREE" not in plan, plan


@pytest.fixture
def audience(engine):
    return Audience(Settings(public_url="http://127.0.0.1", base_dir=ROOT), engine, secret_key=SECRET)


def test_page_links_are_signed_and_bound_to_their_search(audience, engine, tmp_path):
    _import(engine, tmp_path, [{"email": f"u{n:02}@example.org", "name": "U"} for n in range(30)])
    query = console.query_of(list_id="world")
    first = console.table(audience, query, size=10)
    assert first.previous_cursor is None and first.next_cursor
    second = console.table(audience, query, first.next_cursor, size=10)
    assert not {r.id for r in first.page.rows} & {r.id for r in second.page.rows}
    back = console.table(audience, query, second.previous_cursor, size=10)
    assert [r.id for r in back.page.rows] == [r.id for r in first.page.rows]

    token = first.next_cursor
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for cursor, to in ((altered, query), (token, console.query_of(list_id="monde")), ("not a cursor", query),
                       (token, console.query_of(list_id="world", prefix="u"))):  # fmt: skip
        with pytest.raises(Invalid, match="damaged, or belongs to another search"):
            console.table(audience, to, cursor, size=10)
    forged = Audience(audience.settings, engine, secret_key="another key")
    with pytest.raises(Invalid):
        console.table(audience, query, console.table(forged, query, size=10).next_cursor, size=10)


def test_counts_are_kept_a_minute_then_counted_again(audience, engine, tmp_path, monkeypatch):
    _import(engine, tmp_path, [{"email": f"c{n}@example.org"} for n in range(3)])
    counted = console.counts(audience)
    assert counted.lists["world"] == {MembershipStatus.CONFIRMED: 3}
    with engine.begin() as conn:
        sid, _ = upsert_subscriber(conn, Subscriber("late@example.org"))
        set_status(conn, sid, "world", "pending", method="admin")
    assert console.counts(audience).lists["world"] == {MembershipStatus.CONFIRMED: 3}  # as counted
    later = kept.time.monotonic() + console.COUNTS_TTL + 1
    monkeypatch.setattr(kept.time, "monotonic", lambda: later)
    recounted = console.counts(audience)
    assert recounted.lists["world"] == {MembershipStatus.CONFIRMED: 3, MembershipStatus.PENDING: 1}
    assert recounted.counted_at >= counted.counted_at - timedelta(seconds=1)
