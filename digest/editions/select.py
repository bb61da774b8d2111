"""Selection: which articles a list's next edition may carry, ranked."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from digest.config import ListSettings, Settings
from digest.domain import Article
from digest.store.articles import candidate_articles
from digest.store.editions import last_sent_at, used_article_ids


def since(conn: Connection, lst: ListSettings, now: datetime) -> datetime:
    """Articles count from a day before the list's last send (articles already sent are left out
    anyway, and late-ingested ones are caught), and never from before the list's window."""
    window = now - timedelta(days=lst.window_days)
    last = last_sent_at(conn, lst.id)
    if last is None:
        return window
    if last.tzinfo is None:  # SQLite hands datetimes back naive, in UTC
        last = last.replace(tzinfo=UTC)
    return max(window, last - timedelta(days=1))


def candidates(
    conn: Connection, settings: Settings, lst: ListSettings, now: datetime, draft: int | None = None
):
    """The list's unused articles in its window, newest first, at most `per_source` from each source."""
    names = [s.name for s in settings.sources_of(lst)]
    found = candidate_articles(conn, names, since(conn, lst, now), used_article_ids(conn, lst.id, but=draft))
    per_source: Counter[str] = Counter()
    picked: list[Article] = []
    for article in found:
        if per_source[article.source] < lst.per_source:
            per_source[article.source] += 1
            picked.append(article)
    return picked
