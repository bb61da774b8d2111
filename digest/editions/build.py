"""Build a list's next edition from the articles of its sources not yet placed in one of its editions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from digest.config import ListSettings, Settings
from digest.domain import Edition
from digest.store.articles import articles_of_sources
from digest.store.editions import insert_edition, list_editions, used_article_ids
from digest.trim import trim


@dataclass
class BuildResult:
    edition: Edition | None
    reason: str  # why nothing was built, or a summary of what was


def default_subject(lst: ListSettings, edition: Edition) -> str:
    top = edition.items[0].title if edition.items else ""
    return f"{lst.name}: {top}" if top else lst.name


def build_edition(engine: Engine, settings: Settings, list_id: str) -> BuildResult:
    lst = settings.get_list(list_id)
    names = [s.name for s in settings.sources_of(lst)]
    with engine.begin() as conn:
        used = used_article_ids(conn, list_id)
        candidates = articles_of_sources(conn, names, exclude_ids=used)
        if not candidates:
            earlier = len(list_editions(conn, list_id))
            reason = (
                f"no new articles for list {list_id!r}: every article of its sources is already in one of its "
                f"{earlier} edition(s)"
                if used
                else f"no articles yet from the sources of list {list_id!r} ({', '.join(names)}): run `digest ingest`"
            )
            return BuildResult(None, reason)
        picks = candidates[: lst.max_items]
        briefs = [trim(a, lede_words=lst.lede_words, max_quotes=lst.quotes_per_item) for a in picks]
        edition = Edition(list_id=list_id, subject="", items=briefs)
        edition.subject = default_subject(lst, edition)
        insert_edition(conn, edition)
    left = len(candidates) - len(picks)
    more = f"; {left} more wait for the next edition" if left else ""
    return BuildResult(edition, f"edition #{edition.id} for {list_id!r} with {len(picks)} item(s){more}")
