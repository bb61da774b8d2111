"""What readers want: per source and per tag click-through over a list's last sent editions, shown
to its editors, and, with `selection: {learn: true}` on the list, weighing selection.

A source's (or a tag's) click-through is the human clicks on its stories divided by the deliveries
of the editions that carried them (a machine's clicks, a privacy proxy's or a scanner's, never
count); the list's is all the clicks over all those deliveries, so that a source as clicked as the
list's average has a factor of 1. How a rate becomes a weight is one rule, `learned_factor`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from digest.config import ListSettings, Settings
from digest.ingest.catalog import sources_of
from digest.store import reports

LOWEST, HIGHEST = 0.5, 2.0  # a source's weight is never cut below half, nor more than doubled
PRIOR_CLICKS = 20  # how many clicks' worth of the list's average a source starts from (smoothing)


def learned_factor(clicks: int, deliveries: int, average: float) -> float:
    """What a source's weight is multiplied by, from its readers' clicks against the list's.

    The clicks a source would have had at the list's average rate are `deliveries * average`
    (expected); the factor is (clicks + PRIOR_CLICKS) / (expected + PRIOR_CLICKS): the source's
    rate shrunk towards the list's by PRIOR_CLICKS clicks' worth of the average, so that a source
    with few deliveries stays near 1 and only a record of many clicks moves it far. It is then
    bounded to [LOWEST, HIGHEST]: a source nobody clicks keeps half its weight and is never starved,
    and a popular one cannot crowd out the rest. Without clicks at all (no tracking, nothing sent
    yet) every factor is 1.
    """
    if average <= 0 or deliveries <= 0:
        return 1.0
    factor = (clicks + PRIOR_CLICKS) / (deliveries * average + PRIOR_CLICKS)
    return min(HIGHEST, max(LOWEST, factor))


@dataclass(frozen=True)
class Interest:
    """One source's or tag's figures over the editions looked at."""

    name: str
    stories: int  # its stories those editions carried
    editions: int  # how many of them carried it
    deliveries: int  # the deliveries of those editions
    clicks: int  # human clicks on its stories
    factor: float  # learned_factor of it (shown; applied to sources only, with learn: true)

    @property
    def rate(self) -> float:
        return self.clicks / self.deliveries if self.deliveries else 0.0


@dataclass(frozen=True)
class CarriedItem:
    """A story an edition carried, with its edition's deliveries (the messages delivered) and its
    human clicks (machines' left out)."""

    edition_id: int
    item_id: int
    source: str
    tags: tuple[str, ...]
    deliveries: int
    clicks: int


def carried_items(conn: Connection, list_id: str, editions_back: int) -> list[CarriedItem]:
    """The stories of the list's last `editions_back` editions sent (or sending), with the edition
    report's own figures (digest.store.reports): delivered, and a person's clicks per story."""
    ids = [row.id for row in reports.sent_editions(conn, list_id, editions_back)]
    counted = reports.counts(conn, {i: reports.Window(list_id, None, None) for i in ids}, readers=False)
    found = []
    for edition_id in ids:
        clicks = reports.story_clicks(conn, edition_id)
        delivered = counted[edition_id].delivered
        found += [CarriedItem(edition_id, item.item_id, item.source, item.tags, delivered,
                              clicks[item.item_id].clicks if item.item_id in clicks else 0)
                  for item in reports.items(conn, edition_id)]  # fmt: skip
    return found


@dataclass(frozen=True)
class ListInterest:
    list_id: str
    editions: int  # sent editions looked at
    learn: bool
    average: float  # the list's click-through (clicks over deliveries, across its sources)
    sources: list[Interest]  # the most clicked first
    tags: list[Interest]


def _tally(items: list[CarriedItem], keys: dict[int, tuple[str, ...]]) -> list[tuple[str, int, int, int, int]]:
    """(name, stories, editions, deliveries, clicks) of each name the items' keys give."""
    stories: dict[str, int] = defaultdict(int)
    clicks: dict[str, int] = defaultdict(int)
    carried: dict[str, dict[int, int]] = defaultdict(dict)  # name -> edition -> its deliveries
    for item in items:
        for name in keys[item.item_id]:
            stories[name] += 1
            clicks[name] += item.clicks
            carried[name][item.edition_id] = item.deliveries
    return [(n, stories[n], len(carried[n]), sum(carried[n].values()), clicks[n]) for n in stories]


def _ranked(rows: list[tuple[str, int, int, int, int]], average: float) -> list[Interest]:
    shown = [Interest(n, s, e, d, c, learned_factor(c, d, average)) for n, s, e, d, c in rows]
    return sorted(shown, key=lambda x: (-x.rate, -x.clicks, x.name))


def list_interest(engine: Engine, settings: Settings, lst: ListSettings) -> ListInterest:
    """The list's click-through per source and per tag over its last `selection.editions` sent
    editions. A story's tags are its article's and its source's (as selection reads them)."""
    with engine.connect() as conn:
        return _interest(conn, settings, lst)


def _interest(conn: Connection, settings: Settings, lst: ListSettings) -> ListInterest:
    items = carried_items(conn, lst.id, lst.selection.editions)
    source_tags = {s.name: s.tags for s in sources_of(conn, settings, lst)}
    by_source = _tally(items, {i.item_id: (i.source,) for i in items})
    clicks, deliveries = sum(r[4] for r in by_source), sum(r[3] for r in by_source)
    average = clicks / deliveries if deliveries else 0.0
    tags = {i.item_id: tuple(sorted(set(i.tags) | set(source_tags.get(i.source, [])))) for i in items}
    return ListInterest(
        lst.id, len({i.edition_id for i in items}), lst.selection.learn, average,
        _ranked(by_source, average), _ranked(_tally(items, tags), average),
    )  # fmt: skip


def learned_weights(
    conn: Connection, settings: Settings, lst: ListSettings, weights: dict[str, float]
) -> dict[str, float]:
    """The sources' weights as selection uses them: as configured, or, with `selection.learn`,
    each multiplied by its learned_factor (a source the editions have not carried yet keeps its own)."""
    if not lst.selection.learn:
        return weights
    factors = {s.name: s.factor for s in _interest(conn, settings, lst).sources}
    return {name: weight * factors.get(name, 1.0) for name, weight in weights.items()}
