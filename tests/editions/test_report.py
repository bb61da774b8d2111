"""digest.editions.report on SQLite and PostgreSQL: an edition really sent (the file backend) to ten
readers, then what the provider and the readers did, seeded as the tracking and the webhooks record
it: hard and soft bounces, a complaint, unsubscribes by the provider, by the mail's link and by an
admin, human and machine opens and clicks on the stories. Each figure, its rate, unique counting,
machines apart, the stories' ranking, the timeline's hours, the list's trend and the people behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select, update

from digest.deliver.backends.file import FileBackend
from digest.deliver.send import send_edition
from digest.deliver.tracking import Cause, EventKind, ProviderEvent, apply
from digest.editions import report
from digest.errors import Invalid, NotFound
from digest.store.events import record_event
from digest.store.tables import deliveries, edition_items, edition_sends
from subscribers.service import unsubscribe
from tests.servers.support import LIST_ID, add_edition, add_subscribers, address, make_links, make_settings

T = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # when the send started (moved there after the send)


def _send(engine, tmp_path, start: datetime) -> tuple[int, dict[int, int], list[int]]:
    """An edition of three stories sent; (its id, {reader number: delivery id}, its item ids)."""
    settings = make_settings()
    edition_id = add_edition(engine, settings)
    send_edition(engine, settings, edition_id, FileBackend(tmp_path / f"outbox-{edition_id}"), make_links())
    with engine.begin() as conn:
        conn.execute(update(edition_sends).where(edition_sends.c.edition_id == edition_id).values(started_at=start))
        rows = dict(conn.execute(select(deliveries.c.email, deliveries.c.id)
                                 .where(deliveries.c.edition_id == edition_id)).all())  # fmt: skip
        items = list(conn.execute(select(edition_items.c.id).where(edition_items.c.edition_id == edition_id)
                                  .order_by(edition_items.c.position)).scalars())  # fmt: skip
    return edition_id, {i: rows[address(i)] for i in range(10) if address(i) in rows}, items


@pytest.fixture
def seeded(engine, tmp_path):
    add_subscribers(engine, 10)
    edition_id, d, (s1, s2, s3) = _send(engine, tmp_path, T)
    provider = [
        ProviderEvent("sendgrid", "b0", EventKind.BOUNCED, address(0), d[0], Cause.HARD_BOUNCE, "550 no such user", T),
        ProviderEvent("sendgrid", "b1", EventKind.DROPPED, address(1), d[1], Cause.INVALID, "Invalid", T),
        ProviderEvent("sendgrid", "b2", EventKind.BOUNCED, address(2), d[2], Cause.SOFT_BOUNCE, "452 full", T),
        ProviderEvent("sendgrid", "c3", EventKind.COMPLAINED, address(3), d[3], at=T + timedelta(hours=3)),
        ProviderEvent("sendgrid", "u4", EventKind.UNSUBSCRIBED, address(4), d[4], at=T + timedelta(hours=4)),
    ]
    assert apply(engine, provider) == 5
    n = iter(range(1000))

    def event(kind: str, reader: int, minutes: int, item: int | None = None, url: str | None = None,
              machine: bool = False) -> None:  # fmt: skip
        with engine.begin() as conn:
            record_event(conn, f"t{next(n)}", "digest", kind, edition_id=edition_id, delivery_id=d[reader],
                         reason=None, at=T + timedelta(minutes=minutes), item_id=item, url=url, machine=machine)  # fmt: skip

    event("opened", 3, 30)
    event("opened", 3, 35)  # twice: one open
    event("opened", 5, 70)
    event("opened", 6, 1, machine=True)  # a privacy proxy fetched the pixel at once
    for k, story in enumerate((s1, s2, s3), 1):  # and a scanner every link
        event("clicked", 6, 1, story, f"https://news.example.org/{k}", machine=True)
    event("opened", 7, 120, machine=True)
    event("opened", 7, 121)
    event("clicked", 7, 125, s3, "https://news.example.org/3")
    event("clicked", 5, 75, s2, "https://news.example.org/2")
    event("clicked", 8, 300, s2, "https://elsewhere.example.org/2b")  # a click and no open: images off
    event("clicked", 8, 320, s2, "https://elsewhere.example.org/2b")
    event("opened", 9, 49 * 60)  # after the first 48 hours: counted, but not in the timeline
    with engine.begin() as conn:  # reader 5 leaves by the mail's link, reader 6 is removed by an admin
        unsubscribe(conn, _subscriber(conn, d[5]), LIST_ID, method="one-click")
        unsubscribe(conn, _subscriber(conn, d[6]), LIST_ID, method="admin")
    return edition_id, d, (s1, s2, s3)


def _subscriber(conn, delivery_id: int) -> int:
    return conn.execute(select(deliveries.c.subscriber_id).where(deliveries.c.id == delivery_id)).scalar_one()


def test_each_figure_counts_deliveries_once_with_its_rate_and_machines_apart(engine, seeded):
    edition_id, _, _ = seeded
    got = report.edition_report(engine, edition_id)
    f = got.figures
    assert got.started_at == T and got.status == "sent"
    assert (f.sent.count, f.delivered.count, f.bounced.count) == (10, 8, 2)  # a soft bounce is no bounce
    assert f.delivered.rate == 0.8 and f.delivered.of == "sent"
    assert f.bounced.rate == 0.2 and f.bounced.of == "sent" and got.bounce_rate == 0.2
    assert (f.complaints.count, f.complaints.rate, f.complaints.of) == (1, 1 / 8, "delivered")
    assert got.complaint_rate == 1 / 8
    # the provider's unsubscribe and the mail's link count, once each; the admin's removal does not
    assert (f.unsubscribes.count, f.unsubscribes.rate) == (2, 2 / 8)
    # readers 3 (twice), 5, 7, 9 opened; 8 clicked without an open; 6 and 7 were fetched by machines
    assert (f.opens.count, f.opens.rate) == (5, 5 / 8)
    assert (f.machine_opens.count, f.machine_opens.rate) == (2, 2 / 8)
    assert (f.clicks.count, f.total_clicks, f.clicks.rate) == (3, 4, 3 / 8)
    assert (f.machine_clicks.count, f.total_machine_clicks) == (1, 3)
    assert f.sent.rate is None and f.sent.of is None


def test_a_refusal_at_the_send_is_a_bounce(engine, tmp_path):
    """An SMTP server's 5xx at the send fails the row with no event after: a bounce all the same."""
    add_subscribers(engine, 3)
    edition_id, d, _ = _send(engine, tmp_path, T)
    with engine.begin() as conn:  # as the send leaves a row the receiving server refused for good
        conn.execute(update(deliveries).where(deliveries.c.id == d[1]).values(status="failed", error="550 no such user"))
    f = report.edition_figures(engine, edition_id)
    assert (f.sent.count, f.delivered.count, f.bounced.count, f.bounced.rate) == (3, 2, 1, 1 / 3)
    assert [p.delivery_id for p in report.people(engine, edition_id, "bounced")[0]] == [d[1]]


def test_stories_are_ranked_by_readers_who_clicked_with_their_links(engine, seeded):
    edition_id, _, (s1, s2, s3) = seeded
    stories = report.edition_report(engine, edition_id).stories
    assert [(s.rank, s.item_id, s.title) for s in stories] == [(1, s2, "Story 2"), (2, s3, "Story 3"),
                                                                (3, s1, "Story 1")]  # fmt: skip
    top = stories[0]
    assert (top.clicks.clicks, top.clicks.unique, top.clicks.machine, top.clicks.unique_machine) == (3, 2, 1, 1)
    assert top.rate == 2 / 8
    assert [(link.url, link.clicks.clicks, link.clicks.unique, link.clicks.machine) for link in top.links] == [
        ("https://elsewhere.example.org/2b", 2, 1, 0), ("https://news.example.org/2", 1, 1, 1)]  # fmt: skip
    assert stories[2].clicks.unique == 0 and stories[2].clicks.machine == 1  # only a scanner clicked it


def test_the_timeline_counts_the_first_48_hours_hour_by_hour(engine, seeded):
    edition_id, _, _ = seeded
    timeline = report.edition_report(engine, edition_id).timeline
    assert len(timeline) == 48 and timeline[0].at == T and timeline[47].at == T + timedelta(hours=47)
    shown = {h.hour: (h.opens, h.clicks, h.machine) for h in timeline if (h.opens, h.clicks, h.machine) != (0, 0, 0)}
    assert shown == {0: (2, 0, 4), 1: (1, 1, 0), 2: (1, 1, 1), 5: (0, 2, 0)}


def test_the_people_behind_a_figure(engine, seeded):
    edition_id, d, (_, s2, _) = seeded

    def behind(figure: str, **kw) -> list[int]:
        return [p.delivery_id for p in report.people(engine, edition_id, figure, **kw)[0]]

    assert behind("bounced") == [d[0], d[1]]
    assert behind("unsubscribes") == [d[4], d[5]]
    assert behind("opens") == [d[3], d[5], d[7], d[8], d[9]]
    assert behind("machine_opens") == [d[6], d[7]]
    assert behind("clicks", item_id=s2) == [d[5], d[8]]
    page, more = report.people(engine, edition_id, "delivered", limit=3)
    assert [p.email for p in page] == [address(2), address(3), address(4)] and more
    page, more = report.people(engine, edition_id, "delivered", after=page[-1].delivery_id, limit=5)
    assert [p.delivery_id for p in page] == [d[i] for i in range(5, 10)] and not more
    with pytest.raises(Invalid, match="no figure 'everyone'"):
        report.people(engine, edition_id, "everyone")
    with pytest.raises(NotFound, match="no edition #999"):
        report.edition_report(engine, 999)


def test_a_lists_trend_gives_each_editions_rates_oldest_first(engine, seeded, tmp_path):
    first, _, _ = seeded
    second, d2, _ = _send(engine, tmp_path, datetime.now(UTC))  # after the leaves
    assert sorted(d2) == [2, 7, 8, 9]  # the bounced, the complainer, those who left and were removed: no more mail
    with engine.begin() as conn:  # a leave after the second send started is the second's doing
        unsubscribe(conn, _subscriber(conn, d2[8]), LIST_ID, method="link")
    with engine.begin() as conn:
        record_event(conn, "second-open", "digest", "opened", edition_id=second, delivery_id=d2[9], reason=None)
    trend = report.list_trend(engine, LIST_ID, last=5)
    assert [r.edition_id for r in trend.editions] == [first, second]
    old, new = trend.editions
    assert (old.figures.opens.rate, old.figures.unsubscribes.count, old.figures.bounced.rate) == (5 / 8, 2, 0.2)
    assert (new.figures.sent.count, new.figures.opens.count, new.figures.opens.rate) == (4, 1, 1 / 4)
    assert (new.figures.unsubscribes.count, new.figures.unsubscribes.rate) == (1, 1 / 4)
    assert report.edition_figures(engine, first) == old.figures  # the first's leaves end where the second starts
    assert [r.edition_id for r in report.list_trend(engine, LIST_ID, last=1).editions] == [second]
    with pytest.raises(Invalid, match="1 to 52 editions"):
        report.list_trend(engine, LIST_ID, last=0)


def test_every_query_of_the_report_searches_an_index_never_scans_a_table(sqlite_engine, tmp_path):
    add_subscribers(sqlite_engine, 3)
    edition_id, _, _ = _send(sqlite_engine, tmp_path, T)
    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(sqlite_engine, "before_cursor_execute", grab)
    try:
        report.edition_report(sqlite_engine, edition_id)
        report.list_trend(sqlite_engine, LIST_ID)
        for figure in report.FIGURES:
            report.people(sqlite_engine, edition_id, figure)
    finally:
        event.remove(sqlite_engine, "before_cursor_execute", grab)
    assert len(seen) > 20
    with sqlite_engine.connect() as conn:
        raw = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        for statement, params in seen:
            plan = " | ".join(str(row[-1]) for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params))
            for table in ("delivery_events", "deliveries", "consent_events", "edition_items"):
                assert f"SCAN {table}" not in plan, f"{statement}\n{plan}"
