"""/api/v1 editions and sources: editions with their items, one curation change at a time through
digest.editions.service.change (the board's ops, recorded in the change log and the audit log under
the token's name), and every source's health as ingest recorded it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from digest.domain import Edition, EditionStatus
from digest.editions import service
from digest.errors import Invalid
from digest.ingest.health import sources_health
from digest.web.bearer import token_actor
from digest.web.deps import SiteDep
from digest.web.policy import API
from digest.web.routes.api.models import (
    ERRORS,
    ChangeIn,
    EditionDetail,
    EditionOut,
    ItemOut,
    Page,
    QuoteOut,
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


@router.get(API + "/sources", response_model=Page[SourceOut], tags=["sources"])
def sources(site: SiteDep) -> Page[SourceOut]:
    """Every source's health: last success, last error, failures in a row, back-off until (one page)."""
    found = sources_health(site.engine, site.settings)
    return Page(data=[SourceOut(**vars(s)) for s in found], next=None)
