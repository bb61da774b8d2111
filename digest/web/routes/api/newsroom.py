"""/api/v1 editions and sources: editions with their items, one curation change at a time through
digest.editions.service.change (the board's ops, recorded in the change log and the audit log under
the token's name), every source's health as ingest recorded it, and sources added and changed
(digest.ingest.catalog: config.yaml's are the file's), audited under the token's name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse

from digest.domain import Edition, EditionStatus
from digest.editions import service
from digest.errors import Invalid
from digest.ingest import catalog
from digest.ingest.health import SourceHealth, sources_health
from digest.web.bearer import current_token, token_actor
from digest.web.deps import SiteDep
from digest.web.idempotency import HEADER, response
from digest.web.policy import API
from digest.web.routes.api.models import (
    ERRORS,
    ChangeIn,
    EditionDetail,
    EditionOut,
    ItemOut,
    Page,
    QuoteOut,
    SourceChange,
    SourceIn,
    SourceOut,
)

MAX_ID = 2**31 - 1
EditionId = Annotated[int, Path(ge=1, le=MAX_ID)]
router = APIRouter(responses=ERRORS)


def _edition(e: Edition, deliveries: dict[str, int]) -> dict[str, Any]:
    assert e.id is not None  # a stored edition
    return {"id": e.id, "list_id": e.list_id, "subject": e.subject, "status": str(e.status), "intro": e.intro,
            "created_at": e.created_at, "scheduled_for": e.scheduled_for, "sent_at": e.sent_at,
            "segment_id": e.segment_id, "deliveries": deliveries}  # fmt: skip


def _detail(view: service.EditionView) -> EditionDetail:
    e = view.edition
    items = [
        ItemOut(article_id=b.article_id, title=b.title, lede=b.lede, url=b.url, source=b.source, language=b.language,
                quotes=[QuoteOut(text=q.text, speaker=q.speaker, paraphrase=q.paraphrase) for q in b.quotes])
        for b in e.items
    ]  # fmt: skip
    counts = {str(k): v for k, v in view.send.counts.items()} if view.send else {}
    events = {str(k): v for k, v in view.send.events.items()} if view.send else {}
    return EditionDetail(**_edition(e, counts), items=items, events=events, changes=len(view.changes))


@router.get(API + "/editions", response_model=Page[EditionOut], tags=["editions"])
def editions(
    site: SiteDep,
    list_id: Annotated[str, Query(max_length=64)] = "",
    status: Annotated[EditionStatus | None, Query()] = None,
    cursor: Annotated[str, Query(max_length=20, description="`next` of the page before")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[EditionOut]:
    """Editions oldest first (of one list, of one status), a page at a time by id."""
    if cursor and not cursor.isdigit():
        raise Invalid("this cursor is damaged: use the `next` of the page before")
    after = int(cursor) if cursor else 0
    found = [x for x in service.list_all(site.engine, list_id or None)
             if (x.edition.id or 0) > after and (status is None or x.edition.status == status)]  # fmt: skip
    found.sort(key=lambda x: x.edition.id or 0)
    shown = found[:limit]
    more = len(found) > limit
    return Page(data=[EditionOut(**_edition(x.edition, x.counts)) for x in shown],
                next=str(shown[-1].edition.id) if more else None)  # fmt: skip


@router.get(API + "/editions/{edition_id}", response_model=EditionDetail, tags=["editions"])
def edition(site: SiteDep, edition_id: EditionId) -> EditionDetail:
    """An edition with its items, in order."""
    return _detail(service.show(site.engine, site.settings, edition_id, None))


def _args(given: ChangeIn) -> dict[str, Any]:
    """The change's arguments as the service takes them (digest.web.routes.board makes the same)."""
    op = given.op

    def needed(name: str) -> Any:
        value = getattr(given, name)
        if value is None:
            raise Invalid(f"the change {op!r} needs `{name}`")
        return value

    if op in ("subject", "intro"):
        return {"text": needed("text")}
    if op == "add":
        return {"url": str(needed("url")).strip()}
    args: dict[str, Any] = {"article_id": needed("article_id")}
    if op == "move":
        args["position"] = needed("position")
    elif op == "lede":
        args["text"] = needed("text")
    elif op == "quote":
        args["index"] = given.index
    elif op == "quote_text":
        args |= {"text": needed("text"), "speaker": (given.speaker or "").strip() or None}
    elif op == "paraphrase":
        args["on"] = needed("on")
    return args


@router.post(API + "/editions/{edition_id}/changes", response_model=EditionDetail, tags=["editions"])
def change(site: SiteDep, request: Request, edition_id: EditionId, given: ChangeIn) -> EditionDetail:
    """Apply one curation change (an approved or scheduled edition goes back to draft). Give `seen`
    (the `changes` you read) to have a change to a field someone changed since refused (409)."""
    actor = token_actor(request)
    service.change(site.engine, site.settings, edition_id, actor, given.op, given.seen, **_args(given))
    return _detail(service.show(site.engine, site.settings, edition_id, None))


def _source(health: SourceHealth) -> SourceOut:
    definition = health.definition or {}
    return SourceOut(name=health.name, kind=health.kind, recorded=health.recorded, configured=health.configured,
                     added=health.definition is not None, enabled=health.enabled, url=definition.get("url"),
                     lists=definition.get("lists") or [],
                     last_success_at=health.last_success_at, last_error=health.last_error, failures=health.failures,
                     next_attempt_at=health.next_attempt_at, item_count=health.item_count, articles=health.articles)  # fmt: skip


@router.get(API + "/sources", response_model=Page[SourceOut], tags=["sources"])
def sources(site: SiteDep) -> Page[SourceOut]:
    """Every source's health: last success, last error, failures in a row, back-off until (one page)."""
    return Page(data=[_source(s) for s in sources_health(site.engine, site.settings)], next=None)


def _one(site: SiteDep, name: str) -> SourceOut:
    return next(_source(s) for s in sources_health(site.engine, site.settings) if s.name == name)


@router.post(API + "/sources", response_model=SourceOut, status_code=201, tags=["sources"])
def add_source(
    site: SiteDep,
    request: Request,
    given: SourceIn,
    idempotency_key: Annotated[str | None, Header(alias=HEADER, max_length=200)] = None,
) -> JSONResponse:
    """Add a feed or a page, read from the next ingest run on. A name config.yaml or another source
    has is refused (409)."""

    def do() -> tuple[int, Any]:
        added = catalog.add(site.engine, site.settings, given.model_dump(), token_actor(request))
        return 201, _one(site, added.name).model_dump(mode="json")

    return response(site.answers.once(current_token(request).id, idempotency_key, given.model_dump(), do))


@router.patch(API + "/sources/{name}", response_model=SourceOut, tags=["sources"])
def change_source(
    site: SiteDep, request: Request, name: Annotated[str, Path(max_length=200)], given: SourceChange
) -> SourceOut:
    """Change a source added through the console or the API (what is left out stays; `enabled`
    false stops reading it). config.yaml's sources are refused (409)."""
    catalog.change(site.engine, site.settings, name, given.model_dump(exclude_unset=True), token_actor(request))
    return _one(site, name)
