"""The sources in force: config.yaml's, and those an admin added in the browser (stored in the
database: their definition, the lists they feed and whether they are enabled). Every reader of the
sources goes through here: ingest reads `in_force`, a list's build, its search of articles and its
Today line read `sources_of`.

An added source feeds every list that names no sources in config.yaml (such a list takes them all),
and the lists it names (`lists`: config.yaml's lists name only the file's sources). It is a feed or a
page read over HTTP (never a folder: the browser does not name the server's files), and, unless the
instance lets ingest read private addresses (fetch_private_addresses), it is fetched from public
addresses only (digest.ingest.run). Its name is its own: one config.yaml declares is refused; should
config.yaml declare it later, the file's wins and the stored one is left out (the sources page says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine

from digest.accounts import audit
from digest.config import ListSettings, Settings, Source
from digest.domain import Actor
from digest.errors import Conflict, Invalid, NotFound
from digest.store import sources as store

KINDS = ("feed", "page")  # what the browser may add
# a definition: config.Source's fields but the name, and the lists it feeds
FIELDS = ("kind", "url", "language", "weight", "full_text", "tags")
LISTS = "lists"


@dataclass(frozen=True)
class Added:
    source: Source
    lists: tuple[str, ...]  # the lists that name their sources it feeds too
    enabled: bool


def _added(found: store.StoredSource) -> Added:
    fields = {k: v for k, v in found.definition.items() if k in FIELDS}
    lists = tuple(found.definition.get(LISTS) or ())
    return Added(Source.model_validate({**fields, "name": found.name}), lists, found.enabled)


def _read(conn: Connection, settings: Settings) -> list[Added]:
    """The enabled added sources that config.yaml does not shadow."""
    declared = {s.name for s in settings.sources}
    return [a for a in map(_added, store.added_sources(conn)) if a.enabled and a.source.name not in declared]


def in_force(conn: Connection, settings: Settings) -> list[Source]:
    """Every source to read: config.yaml's, then the enabled added ones."""
    return [*settings.sources, *(a.source for a in _read(conn, settings))]


def sources_of(conn: Connection, settings: Settings, lst: ListSettings) -> list[Source]:
    """The list's sources: config.yaml's for it, then the added ones that feed it."""
    extra = [a.source for a in _read(conn, settings) if not lst.sources or lst.id in a.lists]
    return [*settings.sources_of(lst), *extra]


def define(settings: Settings, given: dict[str, Any]) -> tuple[Source, tuple[str, ...]]:
    """A source and the lists it feeds, from a form's or a request's values, checked as config.yaml's
    are (Invalid names the field), restricted to what the browser may add."""
    values = {k: v for k, v in given.items() if v is not None and v != "" and k != LISTS}
    if values.get("kind") not in KINDS:
        raise Invalid(f"kind: choose one of {', '.join(KINDS)}")
    if not str(values.get("name", "")).strip():
        raise Invalid("name: give the source a name")
    values["name"] = " ".join(str(values["name"]).split())
    lists = tuple(dict.fromkeys(given.get(LISTS) or ()))
    known = [lst.id for lst in settings.lists]
    unknown = [x for x in lists if x not in known]
    if unknown:
        raise Invalid(f"lists: no list {unknown[0]!r} (known: {', '.join(known)})")
    try:
        return Source.model_validate(values), lists
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "source"
        raise Invalid(f"{where}: {first['msg'].removeprefix('Value error, ')}") from None


def _definition(source: Source, lists: tuple[str, ...]) -> dict[str, Any]:
    return {**source.model_dump(include=set(FIELDS), mode="json"), LISTS: list(lists)}


def _stored(conn: Connection, name: str) -> store.StoredSource:
    found = next((s for s in store.added_sources(conn) if s.name == name), None)
    if found is None:
        raise NotFound(f"no source named {name!r} was added in the browser")
    return found


def _the_files(settings: Settings, name: str) -> None:
    if any(s.name == name for s in settings.sources):
        raise Conflict(f"{name!r} is declared in config.yaml: change it there")


def add(engine: Engine, settings: Settings, given: dict[str, Any], actor: Actor) -> Source:
    """Store a new source from the values given (`define`), read from the next run on or by "read
    now", audited. Conflict when config.yaml or an added source has the name."""
    source, lists = define(settings, given)
    if any(s.name == source.name for s in settings.sources):
        raise Conflict(f"name: config.yaml declares a source named {source.name!r}")
    definition = _definition(source, lists)
    with engine.begin() as conn:
        if any(s.name == source.name for s in store.added_sources(conn)):
            raise Conflict(f"name: a source named {source.name!r} was added already")
        source_id = store.define_source(conn, source.name, source.kind, source.url or "", definition)
        audit.record(conn, actor, "source.add", "source", source_id, {"name": source.name, **definition})
    return source


def change(engine: Engine, settings: Settings, name: str, changes: dict[str, Any], actor: Actor) -> Added:
    """Change an added source: the fields given (FIELDS, `lists` and `enabled`; None leaves one as
    it is, "" clears it), the others kept; its name stays (its articles and the lists name it).
    Audited with what changed. config.yaml's sources are the file's to change (Conflict); NotFound
    for a name never added."""
    _the_files(settings, name)
    with engine.begin() as conn:
        before = _stored(conn, name)
        wanted = {k: v for k, v in changes.items() if k in (*FIELDS, LISTS) and v is not None}
        source, lists = define(settings, {**before.definition, **wanted, "name": name})
        enabled = before.enabled if changes.get("enabled") is None else bool(changes["enabled"])
        definition = _definition(source, lists)
        source_id = store.define_source(conn, name, source.kind, source.url or "", definition, enabled)
        changed: dict[str, Any] = {k: v for k, v in definition.items() if before.definition.get(k) != v}
        if enabled != before.enabled:
            changed["enabled"] = enabled
        audit.record(conn, actor, "source.edit", "source", source_id, {"name": name, **changed})
    return Added(source, lists, enabled)


def stored(engine: Engine, settings: Settings, name: str) -> Added:
    """An added source as stored (enabled or not); Conflict for config.yaml's, NotFound for a name
    never added."""
    _the_files(settings, name)
    with engine.connect() as conn:
        return _added(_stored(conn, name))
