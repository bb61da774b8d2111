"""An edition's report: what its readers did with it, for the newsroom, the API and the alerts. The
one source of these figures and rates: `edition_report` for one edition (`edition_figures` its
figures alone), `list_trend` for a list's last editions, `people` for the subscribers behind a figure. Read-only; counted in the database
(digest.store.reports).

The figures, each a count of deliveries (one per recipient):

    sent           settled by the send: delivered + bounced
    delivered      accepted by the backend and not bounced since         rate of sent
    bounced        refused for good: by the receiving server at the      rate of sent
                   send (an SMTP 5xx), or after (a hard bounce reported
                   by the provider or a DSN, a drop): the rows `failed`
    complaints     marked as spam                                        rate of delivered
    unsubscribes   left the list by the mail's link, the preferences     rate of delivered
                   page or the provider, after this send started and
                   before the list's next one (the link names the list,
                   not the edition: a leave is the last edition's doing)
    opens          a person opened it (an open pixel, or a click: a      rate of delivered
                   click needs the mail open, and images may be off)
    machine opens  a privacy proxy or a scanner fetched its pixel or     rate of delivered
                   a link (Apple Mail Privacy Protection, link checkers)
    clicks         every click of a person; unique: the deliveries       unique's rate of delivered
                   with one (machine clicks apart, likewise)

A rate is None when its denominator is zero. A bounce for now (a full mailbox) is no bounce: the
row stays sent and the provider tries again. Stories are ranked by their unique human clicks, then
their clicks, then their place in the edition; the timeline counts opened and clicked events per hour
over the first 48 hours after the send started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine

from digest.errors import Invalid, NotFound
from digest.store import reports
from digest.store.reports import FIGURES, Clicks, Counts, Person
from subscribers.service import require_list

HOURS = 48
TREND_MAX = 52
__all__ = ["FIGURES", "HOURS", "Clicks", "EditionReport", "Figure", "Figures", "Person", "edition_figures",
           "edition_report", "list_trend", "people"]  # fmt: skip


@dataclass(frozen=True)
class Figure:
    count: int
    rate: float | None  # count / its denominator (None: the denominator is zero, or it has none)
    of: str | None  # the denominator's name: "sent" or "delivered"; None for sent itself


@dataclass(frozen=True)
class Figures:
    sent: Figure
    delivered: Figure
    bounced: Figure
    complaints: Figure
    unsubscribes: Figure
    opens: Figure
    machine_opens: Figure
    clicks: Figure  # the unique human clicks (deliveries); `total_clicks` every one
    machine_clicks: Figure
    total_clicks: int
    total_machine_clicks: int

    @classmethod
    def of(cls, c: Counts) -> Figures:
        def rate(n: int, of: str) -> Figure:
            base = c.sent if of == "sent" else c.delivered
            return Figure(n, n / base if base else None, of)

        return cls(Figure(c.sent, None, None), rate(c.delivered, "sent"), rate(c.bounced, "sent"),
                   rate(c.complaints, "delivered"), rate(c.unsubscribes, "delivered"), rate(c.opens, "delivered"),
                   rate(c.machine_opens, "delivered"), rate(c.unique_clicks, "delivered"),
                   rate(c.unique_machine_clicks, "delivered"), c.clicks, c.machine_clicks)  # fmt: skip


@dataclass(frozen=True)
class Link:
    url: str | None
    clicks: Clicks


@dataclass(frozen=True)
class Story:
    rank: int
    item_id: int | None  # None: the links of no story (the intro, the footer)
    position: int | None  # its place in the edition, from 0
    title: str | None
    source: str | None
    clicks: Clicks
    rate: float | None  # its unique human clicks over delivered
    links: list[Link]


@dataclass(frozen=True)
class Hour:
    hour: int  # hours since the send started: 0 is the first
    at: datetime
    opens: int  # a person's opened events
    clicks: int  # a person's clicked events
    machine: int  # a machine's opened and clicked events


@dataclass(frozen=True)
class EditionReport:
    edition_id: int
    list_id: str
    subject: str
    status: str
    started_at: datetime | None  # its send's start; None before it
    figures: Figures
    stories: list[Story]  # ranked
    timeline: list[Hour]  # HOURS of them from the start (none before the send)

    @property
    def bounce_rate(self) -> float | None:
        return self.figures.bounced.rate

    @property
    def complaint_rate(self) -> float | None:
        return self.figures.complaints.rate


@dataclass(frozen=True)
class TrendRow:
    edition_id: int
    subject: str
    started_at: datetime | None
    figures: Figures


@dataclass(frozen=True)
class ListTrend:
    list_id: str
    editions: list[TrendRow]  # oldest first


def _window(conn: Connection, row: reports.EditionRow) -> reports.Window:
    until = reports.next_start(conn, row.list_id, row.started_at, but=[row.id]) if row.started_at else None
    return reports.Window(row.list_id, row.started_at, until)


def _row(conn: Connection, edition_id: int) -> reports.EditionRow:
    row = reports.edition_row(conn, edition_id)
    if row is None:
        raise NotFound(f"no edition #{edition_id}")
    return row


def edition_figures(engine: Engine, edition_id: int) -> Figures:
    """The edition's figures alone (what an alert needs: `bounced.rate`, `complaints.rate`)."""
    with engine.connect() as conn:
        row = _row(conn, edition_id)
        return Figures.of(reports.counts(conn, {edition_id: _window(conn, row)})[edition_id])


def edition_report(engine: Engine, edition_id: int) -> EditionReport:
    """The edition's figures, its stories ranked by clicks with their links, and its first 48 hours."""
    with engine.connect() as conn:
        row = _row(conn, edition_id)
        figures = Figures.of(reports.counts(conn, {edition_id: _window(conn, row)})[edition_id])
        by_story = reports.story_clicks(conn, edition_id)
        by_link = reports.link_clicks(conn, edition_id)
        shown = reports.items(conn, edition_id)
        hours = reports.hourly(conn, edition_id, row.started_at, HOURS) if row.started_at else {}
    delivered = figures.delivered.count
    stories = []
    known = {item.item_id for item in shown}
    entries: list[tuple[int | None, int | None, str | None, str | None]] = [
        (item.item_id, item.position, item.title, item.source) for item in shown
    ]
    if any(key not in known for key in by_story):  # clicks on no story of the edition (its intro, footer)
        entries.append((None, None, None, None))
    for item_id, position, title, source in entries:
        clicks = (
            by_story.get(item_id, Clicks())
            if item_id is not None
            else _sum([c for key, c in by_story.items() if key not in known])
        )
        links = [Link(url, c) for (iid, url), c in by_link.items()
                 if (iid == item_id if item_id is not None else iid not in known)]  # fmt: skip
        links.sort(key=lambda link: (-link.clicks.unique, -link.clicks.clicks, link.url or ""))
        rate = clicks.unique / delivered if delivered else None
        stories.append(Story(0, item_id, position, title, source, clicks, rate, links))
    stories.sort(key=lambda s: (-s.clicks.unique, -s.clicks.clicks, s.position is None, s.position or 0))
    stories = [_ranked(s, n) for n, s in enumerate(stories, 1)]
    timeline = []
    if row.started_at is not None:
        for h in range(HOURS):
            timeline.append(Hour(h, row.started_at + timedelta(hours=h), hours.get((h, "opened", False), 0),
                                 hours.get((h, "clicked", False), 0),
                                 hours.get((h, "opened", True), 0) + hours.get((h, "clicked", True), 0)))  # fmt: skip
    return EditionReport(edition_id, row.list_id, row.subject, row.status, row.started_at, figures, stories, timeline)


def _ranked(story: Story, rank: int) -> Story:
    return Story(rank, story.item_id, story.position, story.title, story.source, story.clicks, story.rate,
                 story.links)  # fmt: skip


def _sum(clicks: list[Clicks]) -> Clicks:
    return Clicks(sum(c.clicks for c in clicks), sum(c.unique for c in clicks), sum(c.machine for c in clicks),
                  sum(c.unique_machine for c in clicks))  # fmt: skip


def list_trend(engine: Engine, list_id: str, last: int = 12) -> ListTrend:
    """The main figures of the list's last `last` editions sent (or sending), oldest first."""
    if not 1 <= last <= TREND_MAX:
        raise Invalid(f"the trend covers 1 to {TREND_MAX} editions, not {last}")
    with engine.connect() as conn:
        require_list(conn, list_id)
        rows = reports.sent_editions(conn, list_id, last)
        windows, until = {}, None
        if rows and rows[0].started_at:  # newest first: each one's unsubscribes run up to the next one's start
            until = reports.next_start(conn, list_id, rows[0].started_at, but=[rows[0].id])
        for row in rows:
            windows[row.id] = reports.Window(list_id, row.started_at, until)
            until = row.started_at or until
        found = reports.counts(conn, windows)
    return ListTrend(list_id, [TrendRow(r.id, r.subject, r.started_at, Figures.of(found[r.id])) for r in rows[::-1]])


def people(
    engine: Engine, edition_id: int, figure: str, *, item_id: int | None = None, after: int = 0, limit: int = 50
) -> tuple[list[Person], bool]:
    """The deliveries behind one of the report's FIGURES (for clicks, of one story if `item_id`), in
    delivery id order after `after`; and whether more follow."""
    if figure not in FIGURES:
        raise Invalid(f"no figure {figure!r} in a report: one of {', '.join(FIGURES)}")
    with engine.connect() as conn:
        row = _row(conn, edition_id)
        return reports.people(conn, edition_id, figure, _window(conn, row), item_id=item_id, after=after,
                              limit=limit)  # fmt: skip
