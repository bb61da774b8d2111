"""A public list's archive: its editions from the moment they start sending, newest first, as an
index page and an Atom feed. A list that is not public (config.yaml's `public: false`), or not in
config.yaml, has neither: NotFound. Read-only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from digest.config import ListSettings, Settings
from digest.domain import Edition
from digest.editions import lifecycle
from digest.errors import ConfigError, NotFound
from digest.links import ARCHIVE_PATH, FEED_PATH, LIST_ARCHIVE_PATH
from digest.render.feed import atom_feed
from digest.store.editions import recent_editions

FEED_ENTRIES = 20  # the newest editions a feed carries


@dataclass(frozen=True)
class ListArchive:
    lst: ListSettings
    editions: list[Edition]  # newest first
    url: str  # the index page's
    feed_url: str


def list_archive(engine: Engine, settings: Settings, list_id: str, limit: int | None = None) -> ListArchive:
    lst = public_list(settings, list_id)
    with engine.connect() as conn:
        found = recent_editions(conn, lst.id, lifecycle.PUBLIC, limit)
    base = settings.base_url
    return ListArchive(
        lst, found, base + LIST_ARCHIVE_PATH.format(list_id=lst.id), base + FEED_PATH.format(list_id=lst.id)
    )


def feed(engine: Engine, settings: Settings, list_id: str) -> bytes:
    """The list's Atom feed of its newest editions."""
    shown = list_archive(engine, settings, list_id, FEED_ENTRIES)
    return atom_feed(shown.lst, shown.editions, shown.url, shown.feed_url, settings.base_url + ARCHIVE_PATH)


def has_archive(settings: Settings, list_id: str) -> bool:
    return any(lst.id == list_id and lst.public for lst in settings.lists)


def public_list(settings: Settings, list_id: str) -> ListSettings:
    try:
        lst = settings.get_list(list_id)
    except ConfigError:
        raise NotFound(f"no list with id {list_id!r}") from None
    if not lst.public:
        raise NotFound(f"no list with id {list_id!r}")  # a private list is not shown to exist
    return lst
