"""Selection: which articles a list's next edition may carry, ranked, one per story.

An article is a candidate when it comes from one of the list's sources, carries one of the
list's tags (when the list names any), is in one of its languages (when it names any; an
article of unknown language passes), was published in the list's window, and belongs to no
story the list has already carried. Candidates rank by recency times their source's weight (with
`selection.learn`, times what its readers' clicks taught: digest.editions.interest);
each story is shown once, by its best-ranked article, the story's other articles listed as
"also covered by".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection

from digest.config import ListSettings, Settings
from digest.domain import Article, Coverage
from digest.editions.interest import learned_weights
from digest.ingest.catalog import sources_of
from digest.store.articles import candidate_articles, other_coverage
from digest.store.editions import count_late_for_list, last_sent_at, used_article_ids, used_stories

HALF_LIFE = timedelta(hours=24)  # an article a day older counts half as much


@dataclass
class Picks:
    articles: list[Article]
    coverage: dict[int, list[Coverage]] = field(default_factory=dict)  # article id -> its story's others
    skipped: list[str] = field(default_factory=list)  # "3 already in an edition of the list", ...


@dataclass(frozen=True)
class Window:
    """Where a list's next edition starts: `start`, and why there (its window, or its last send)."""

    start: datetime
    last_sent: datetime | None
    why: str


def window(conn: Connection, lst: ListSettings, now: datetime) -> Window:
    """Articles count from a day before the list's last send (articles already sent are left out
    anyway, and late-ingested ones are caught), and never from before the list's window."""
    start = now - timedelta(days=lst.window_days)
    last = last_sent_at(conn, lst.id)
    looks_back = f"the list looks back {lst.window_days} day(s)"
    if last is None:
        return Window(start, None, looks_back)
    if last - timedelta(days=1) > start:
        return Window(last - timedelta(days=1), last, "a day before that send")
    return Window(start, last, looks_back)


def _wanted(article: Article, lst: ListSettings, source_tags: dict[str, list[str]]) -> bool:
    if lst.tags and not set(lst.tags) & (set(article.tags) | set(source_tags.get(article.source, []))):
        return False
    return not (lst.languages and article.language and article.language not in lst.languages)


def _score(article: Article, weight: float, now: datetime) -> float:
    published = article.published_at or now
    age = max(now - published, timedelta(0))
    decay: float = 0.5 ** (age / HALF_LIFE)  # typeshed types a float power as Any
    return weight * decay


def candidates(
    conn: Connection, settings: Settings, lst: ListSettings, now: datetime, draft: int | None = None
) -> Picks:
    """The list's candidates, best first, one per story, at most `per_source` from each source; and
    what was left out of them, counted by reason (but for the late ones: `left_out_late`). The sources
    are those in force: config.yaml's and those added in the browser (digest.ingest.catalog)."""
    sources = sources_of(conn, settings, lst)
    weights = learned_weights(conn, settings, lst, {s.name: s.weight for s in sources})
    starts = window(conn, lst, now)
    recent = candidate_articles(conn, list(weights), starts.start, set())
    used = used_article_ids(conn, lst.id, [a.id for a in recent if a.id is not None], but=draft)
    stories_used = used_stories(conn, lst.id, {a.story_id for a in recent if a.story_id is not None}, but=draft)
    found = [a for a in recent if a.id not in used]
    skipped = Counter[str]()
    skipped["already in an edition of the list"] = len(recent) - len(found)
    wanted = [a for a in found if _wanted(a, lst, {s.name: s.tags for s in sources})]
    skipped["outside the list's tags or languages"] = len(found) - len(wanted)
    wanted.sort(key=lambda a: _score(a, weights[a.source], now), reverse=True)

    per_source: Counter[str] = Counter()
    seen_stories: set[int] = set(stories_used)
    picked: list[Article] = []
    for article in wanted:
        if article.story_id is not None:
            if article.story_id in stories_used:
                skipped["of a story an earlier edition carried"] += 1
                continue
            if article.story_id in seen_stories:
                continue  # another source's copy of a pick: shown as "also covered by"
            seen_stories.add(article.story_id)
        if per_source[article.source] < lst.per_source:
            per_source[article.source] += 1
            picked.append(article)
        else:
            skipped[f"over the limit of {lst.per_source} per source"] += 1
    coverage = other_coverage(conn, [a.id for a in picked if a.id is not None])
    return Picks(picked, coverage, [f"{n} {why}" for why, n in skipped.items() if n])


def left_out_late(
    conn: Connection, settings: Settings, lst: ListSettings, now: datetime, draft: int | None = None
) -> list[str]:
    """The articles of the list's sources that came in too late for its window, as the reason a build
    reports (a count over the whole archive: the build asks for it, a curation change does not)."""
    starts = window(conn, lst, now)
    names = [s.name for s in sources_of(conn, settings, lst)]
    late = count_late_for_list(conn, lst.id, names, starts.start, starts.last_sent, but=draft)
    if not late:
        return []
    before = f"published before {starts.start:%Y-%m-%d %H:%M} UTC ({starts.why})"
    if starts.last_sent:
        before = f"ingested since the last send ({starts.last_sent:%Y-%m-%d %H:%M} UTC) but {before}"
    return [f"{late} {before}"]
