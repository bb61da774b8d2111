"""/api/v1 lists and segments: every list with its members by status, a list made or changed as the
console does it (digest.audience.lists: a list of config.yaml is refused, 409), and the segments
(digest.audience.segments): saved searches of one list's members, made with Idempotency-Key, read,
deleted. Each change is audited under the token's name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from digest.audience import console, lists, segments
from digest.web.bearer import current_token, token_actor
from digest.web.deps import Site, SiteDep
from digest.web.idempotency import HEADER, response
from digest.web.policy import API
from digest.web.routes.api.models import ERRORS, ListIn, ListOut, ListPatch, Page, SegmentIn, SegmentOut
from subscribers.models import MailingList

MAX_ID = 2**31 - 1
SegmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
router = APIRouter(responses=ERRORS)


def _list(site: Site, lst: MailingList) -> ListOut:
    counts = console.counts(site.audience).lists.get(lst.id, {})
    return ListOut(id=lst.id, name=lst.name, description=lst.description, language=lst.language, public=lst.public,
                   double_opt_in=lst.double_opt_in, members={str(s): n for s, n in counts.items()})  # fmt: skip


@router.get(API + "/lists", response_model=Page[ListOut], tags=["lists"])
def all_lists(site: SiteDep) -> Page[ListOut]:
    """Every list with its members by status (one page: there are few lists)."""
    return Page(data=[_list(site, lst) for lst in console.lists(site.audience)], next=None)


@router.post(API + "/lists", response_model=ListOut, status_code=201, tags=["lists"])
def create_list(
    site: SiteDep,
    request: Request,
    given: ListIn,
    idempotency_key: Annotated[str | None, Header(alias=HEADER, max_length=200)] = None,
) -> JSONResponse:
    """Make a list outside config.yaml (it has no schedule: editions are built for config.yaml's lists)."""

    def do() -> tuple[int, Any]:
        fields = given.model_dump(exclude={"id", "name"})
        made = lists.create(site.audience, given.id, given.name, token_actor(request), **fields)
        return 201, _list(site, made).model_dump(mode="json")

    return response(site.answers.once(current_token(request).id, idempotency_key, given.model_dump(), do))


@router.patch(API + "/lists/{list_id}", response_model=ListOut, tags=["lists"])
def update_list(
    site: SiteDep, request: Request, list_id: Annotated[str, Path(max_length=64)], given: ListPatch
) -> ListOut:
    """Change a list's fields (those given; null leaves one as it is, but for `reply_to`: none); a list
    declared in config.yaml is refused (409): change it there."""
    fields = {
        k: v for k, v in given.model_dump(exclude_unset=True).items() if v is not None or k == "reply_to"
    }
    changed = lists.update(site.audience, list_id, token_actor(request), **fields)
    return _list(site, changed)


def _segment(found: segments.Sized) -> SegmentOut:
    s = found.segment
    return SegmentOut(id=s.id, list_id=s.list_id, name=s.name, query=s.query.describe(), created_at=s.created_at,
                      created_by=s.created_by, confirmed=found.size, more=found.more)  # fmt: skip


@router.get(API + "/segments", response_model=Page[SegmentOut], tags=["segments"])
def all_segments(site: SiteDep, list_id: Annotated[str, Query(max_length=64)] = "") -> Page[SegmentOut]:
    """The segments (of one list), by list and name, with their sizes (one page)."""
    return Page(data=[_segment(s) for s in segments.sized(site.audience, list_id or None)], next=None)


@router.post(API + "/segments", response_model=SegmentOut, status_code=201, tags=["segments"])
def create_segment(
    site: SiteDep,
    request: Request,
    given: SegmentIn,
    idempotency_key: Annotated[str | None, Header(alias=HEADER, max_length=200)] = None,
) -> JSONResponse:
    """Save a search of one list's members as a segment (a name the list's segments have already: 409)."""

    def do() -> tuple[int, Any]:
        q = given.query
        query = console.query_of(prefix=q.prefix, name=q.name, statuses=q.statuses, list_id=q.list_id,
                                 language=q.language, timezone=q.timezone, joined_from=q.joined_from,
                                 joined_to=q.joined_to)  # fmt: skip
        made = segments.save(site.audience, given.name, query, token_actor(request))
        return 201, _segment(segments.size(site.audience, made)).model_dump(mode="json")

    return response(site.answers.once(current_token(request).id, idempotency_key, given.model_dump(), do))


@router.get(API + "/segments/{segment_id}", response_model=SegmentOut, tags=["segments"])
def one_segment(site: SiteDep, segment_id: SegmentId) -> SegmentOut:
    return _segment(segments.size(site.audience, segments.segment(site.audience, segment_id)))


@router.delete(API + "/segments/{segment_id}", status_code=204, response_class=Response, tags=["segments"])
def delete_segment(site: SiteDep, request: Request, segment_id: SegmentId) -> Response:
    """Delete a segment; 409 while an edition not yet sent is to go to it."""
    segments.delete(site.audience, segment_id, token_actor(request))
    return Response(status_code=204)
