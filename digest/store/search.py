"""Full-text search over the stored articles' titles and bodies, one function on both databases:
SQLite's FTS5 table `articles_fts`, PostgreSQL's generated tsvector `articles.search` (both made by
migration 0011, outside tables.py). A query's words must all appear, each as a word or the start
of one, case aside; the best matches first (a word in the title counts more), then the newest."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from sqlalchemy import ColumnElement, Connection, bindparam, func, literal_column, select, text

from digest.domain import Article
from digest.store.articles import articles_by_ids
from digest.store.tables import articles, sources
from subscribers.search import OUTSIDE_METADATA

FTS_TABLE = "articles_fts"
PG_COLUMN = "search"
_WORD = re.compile(r"\w+")


def words(query: str) -> list[str]:
    """The words a query searches for (what both backends' tokenizers would make of it)."""
    return [w.casefold() for w in _WORD.findall(query)]


def search_articles(
    conn: Connection, query: str, source_names: Iterable[str] | None, limit: int
) -> list[Article]:
    """Stored articles matching every word of `query` (of the named sources, when given), best first."""
    terms = words(query)
    if not terms:
        return []
    when = func.coalesce(articles.c.published_at, articles.c.fetched_at)
    if conn.dialect.name == "sqlite":
        match = " ".join('"' + t + '"*' for t in terms)
        rank: ColumnElement[Any] = literal_column(f"bm25({FTS_TABLE}, 10.0, 1.0)")  # lower is better
        found = (
            select(articles.c.id)
            .join(text(FTS_TABLE), literal_column(f"{FTS_TABLE}.rowid") == articles.c.id)
            .where(text(f"{FTS_TABLE} MATCH :match").bindparams(bindparam("match", match)))
            .order_by(rank, when.desc(), articles.c.id)
        )
    else:
        tsquery = func.to_tsquery("simple", " & ".join(t + ":*" for t in terms))
        vector: ColumnElement[Any] = literal_column(f"articles.{PG_COLUMN}")
        found = (
            select(articles.c.id)
            .where(vector.op("@@")(tsquery))
            .order_by(func.ts_rank(vector, tsquery).desc(), when.desc(), articles.c.id)
        )
    if source_names is not None:
        found = found.where(
            articles.c.source_id.in_(select(sources.c.id).where(sources.c.name.in_(list(source_names))))
        )
    ids = list(conn.execute(found.limit(limit)).scalars())
    loaded = articles_by_ids(conn, ids)
    return [loaded[i] for i in ids if i in loaded]


def outside_metadata(name: str | None, type_: NameFilterType, parent_names: NameFilterParentNames) -> bool:
    """False for what migration 0011 made for search and tables.py does not declare (the FTS5 table
    and its shadow tables, the tsvector column and its index): alembic's comparison leaves them be."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name == PG_COLUMN and parent_names.get("table_name") == "articles":
        return False
    # and the collated indexes of migration 0012 (subscribers.search)
    return not (type_ == "index" and (name == "ix_articles_search" or name in OUTSIDE_METADATA))
