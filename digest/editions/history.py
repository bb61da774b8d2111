"""An edition's history, as the newsroom shows it: its change log (who did what, when), each change
that rewrote a text with the text before and after it. Read-only.

A lede's first rewrite shows the lede digest trimmed from the article before it; a later one, the
rewrite before it. The subject and the intro likewise, from the change before (a subject's first
rewrite replaced the one the build made, which the log does not keep)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from digest.config import Settings
from digest.domain import Article, Change, Edition
from digest.errors import ConfigError, NotFound
from digest.store.articles import articles_by_ids
from digest.store.editions import changes, load_edition
from digest.trim import trim

REWRITES = ("lede", "subject", "intro")  # the changes that replace a text


@dataclass(frozen=True)
class Entry:
    change: Change
    title: str | None = None  # the article's title, for a change that concerns one
    before: str | None = None  # a rewrite's text before it (None: not known, or none)
    after: str | None = None  # a rewrite's text after it


@dataclass(frozen=True)
class History:
    edition: Edition
    entries: list[Entry]  # newest first


def history(engine: Engine, settings: Settings, edition_id: int) -> History:
    with engine.connect() as conn:
        edition = load_edition(conn, edition_id)
        if edition is None:
            raise NotFound(f"no edition #{edition_id}")
        log = changes(conn, edition_id)
        named = {c.args["article_id"] for c in log if isinstance(c.args.get("article_id"), int)}
        articles = articles_by_ids(conn, named)
    trimmed = _trimmed_ledes(settings, edition, articles, log)
    texts: dict[tuple[str, int | None], str | None] = {}  # the current text of each rewritable thing
    entries = []
    for change in log:
        article_id = change.args.get("article_id")
        article = articles.get(article_id) if isinstance(article_id, int) else None
        title = article.title if article else None
        if change.op not in REWRITES:
            entries.append(Entry(change, title))
            continue
        key = (change.op, article_id)
        before = texts[key] if key in texts else trimmed.get(article_id) if change.op == "lede" else None
        after = str(change.args.get("text") or "") or None
        texts[key] = after
        entries.append(Entry(change, title, before, after))
    return History(edition, entries[::-1])


def _trimmed_ledes(
    settings: Settings, edition: Edition, articles: dict[int, Article], log: list[Change]
) -> dict[int | None, str]:
    """The lede digest trimmed from each article whose lede an editor rewrote (what they started from)."""
    try:
        lst = settings.get_list(edition.list_id)
    except ConfigError:  # a list no longer in config.yaml: its trimming settings are gone
        return {}
    rewritten = {c.args.get("article_id") for c in log if c.op == "lede"}
    return {
        aid: trim(article, lede_words=lst.lede_words, max_quotes=lst.quotes_per_item).lede
        for aid, article in articles.items()
        if aid in rewritten
    }
