"""The sources in force: config.yaml's, and those an admin added in the browser (stored in the
database: their definition and whether they are enabled). One merged list for every reader of
settings.sources that reads (ingest, a list's build, the search of articles): `in_force`.

A source added in the browser is a feed or a page read over HTTP (never a folder: the browser does
not name the server's files), and, unless the instance lets ingest read private addresses
(fetch_private_addresses), it is fetched from public addresses only (digest.ingest.run). Its name is
its own: one config.yaml declares is refused; should config.yaml declare it later, the file's wins
and the stored one is left out (the sources page says so).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine

from digest.accounts import audit
from digest.config import Settings, Source
from digest.domain import Actor
from digest.errors import Conflict, Invalid, NotFound
from digest.store import sources as store

KINDS = ("feed", "page")  # what the browser may add
# a definition: config.Source's fields but the name
FIELDS = ("kind", "url", "language", "weight", "full_text", "tags")


def added(conn: Connection, settings: Settings) -> list[Source]:
    """The enabled sources added in the browser that config.yaml does not shadow."""
    declared = {s.name for s in settings.sources}
    return [
        Source.model_validate({**found.definition, "name": found.name})
        for found in store.added_sources(conn)
        if found.enabled and found.name not in declared
    ]


def in_force(conn: Connection, settings: Settings) -> Settings:
    """The settings with the sources added in the browser after config.yaml's (the same settings
    when there are none)."""
    extra = added(conn, settings)
    return settings.model_copy(update={"sources": [*settings.sources, *extra]}) if extra else settings


def define(given: dict[str, Any]) -> Source:
    """A source from a form's or a request's values, checked as config.yaml's are (Invalid names the
    field), restricted to what the browser may add."""
    values = {k: v for k, v in given.items() if v is not None and v != ""}
    if values.get("kind") not in KINDS:
        raise Invalid(f"kind: choose one of {', '.join(KINDS)}")
    if not str(values.get("name", "")).strip():
        raise Invalid("name: give the source a name")
    values["name"] = " ".join(str(values["name"]).split())
    try:
        return Source.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "source"
        raise Invalid(f"{where}: {first['msg'].removeprefix('Value error, ')}") from None


def _definition(source: Source) -> dict[str, Any]:
    return source.model_dump(include=set(FIELDS), mode="json")


def _stored(conn: Connection, name: str) -> store.Added:
    found = next((s for s in store.added_sources(conn) if s.name == name), None)
    if found is None:
        raise NotFound(f"no source named {name!r} was added in the browser")
    return found


def add(engine: Engine, settings: Settings, given: dict[str, Any], actor: Actor) -> Source:
    """Store a new source from the values given (`define`), read from the next run on or by "read
    now", audited. Conflict when config.yaml or an added source has the name."""
    source = define(given)
    if any(s.name == source.name for s in settings.sources):
        raise Conflict(f"name: config.yaml declares a source named {source.name!r}")
    with engine.begin() as conn:
        if any(s.name == source.name for s in store.added_sources(conn)):
            raise Conflict(f"name: a source named {source.name!r} was added already")
        source_id = store.define_source(conn, source.name, source.kind, source.url or "", _definition(source))
        audit.record(
            conn, actor, "source.add", "source", source_id, {"name": source.name, **_definition(source)}
        )
    return source


def change(
    engine: Engine, settings: Settings, name: str, changes: dict[str, Any], actor: Actor
) -> tuple[Source, bool]:
    """Change an added source: the fields given (FIELDS, and `enabled`; "" clears one), the others kept; its name
    stays (its articles and the lists name it). Audited with what changed. config.yaml's sources
    are the file's to change (Conflict); NotFound for a name never added."""
    _the_files(settings, name)
    with engine.begin() as conn:
        before = _stored(conn, name)
        wanted = {k: v for k, v in changes.items() if k in FIELDS and v is not None}  # None: unchanged
        source = define({**before.definition, **wanted, "name": name})
        enabled = before.enabled if changes.get("enabled") is None else bool(changes["enabled"])
        definition = _definition(source)
        source_id = store.define_source(conn, name, source.kind, source.url or "", definition, enabled)
        changed = {k: v for k, v in definition.items() if before.definition.get(k) != v}
        if enabled != before.enabled:
            changed["enabled"] = enabled
        audit.record(conn, actor, "source.edit", "source", source_id, {"name": name, **changed})
    return source, enabled


def _the_files(settings: Settings, name: str) -> None:
    if any(s.name == name for s in settings.sources):
        raise Conflict(f"{name!r} is declared in config.yaml: change it there")


def stored(engine: Engine, settings: Settings, name: str) -> tuple[Source, bool]:
    """An added source's definition and whether it is enabled; Conflict for config.yaml's, NotFound
    for a name never added."""
    _the_files(settings, name)
    with engine.connect() as conn:
        found = _stored(conn, name)
    return Source.model_validate({**found.definition, "name": found.name}), found.enabled
