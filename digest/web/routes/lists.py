"""The admin console's lists and segments (digest.audience.lists, digest.audience.segments): every
list with its members by status, a new list; a list's page with its members, its growth by week (an
SVG chart and its table), its schedule and templates, its segments, and its fields to edit (a list
of config.yaml is shown read-only: the file manages it); the segments, saved from the subscribers
table's search, and deleted. Every page works without JavaScript: forms post and come back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from digest.audience import console, lists, segments
from digest.domain import Actor, Session, User
from digest.editions.calendar import next_run
from digest.errors import Conflict, Invalid, NotFound
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.charts import weekly_bars
from digest.web.deps import Site, SiteDep, client
from digest.web.errors import status_of
from digest.web.newsroom import search_link
from digest.web.policy import LISTS, SEGMENTS
from subscribers.models import MEMBERSHIP_STATUSES, SUPPORTED_LANGUAGES
from subscribers.search import Query

MAX_ID = 2**31 - 1
ListId = Annotated[str, Path(max_length=64)]
SegmentId = Annotated[int, Path(gt=0, le=MAX_ID)]
DONE = ("created", "saved", "segment", "deleted")
router = APIRouter()


class ListForm(BaseModel):
    """A list's fields as the console's forms send them (a checkbox is there when ticked)."""

    id: str = Field("", max_length=64)
    name: str = Field("", max_length=400)
    description: str = Field("", max_length=2000)
    from_name: str = Field("", max_length=400)
    from_address: str = Field("", max_length=320)
    reply_to: str = Field("", max_length=320)
    language: str = Field("en", max_length=16)
    double_opt_in: str = Field("", max_length=5)
    public: str = Field("", max_length=5)

    def fields(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description.strip(), "from_name": self.from_name.strip(),
                "from_address": self.from_address, "reply_to": self.reply_to.strip() or None,
                "language": self.language, "double_opt_in": bool(self.double_opt_in), "public": bool(self.public)}  # fmt: skip


def _done(request: Request) -> str:
    done = request.query_params.get("done", "")
    return done if done in DONE else ""


def search_of(query: Query) -> str:
    """The subscribers table showing a segment's members."""
    described = query.describe()
    given: dict[str, object] = {k: v for k, v in described.items() if k != "statuses"}
    given["statuses"] = described.get("statuses", "").split(",") if described.get("statuses") else []
    return "/admin/subscribers?" + search_link(given)


def _lists_page(
    site: Site, request: Request, user: User, session: Session, status: int = 200, **context: Any
) -> HTMLResponse:
    aud = site.audience
    return site.newsroom.render(
        request, "lists.html", user=user, session=session, status=status, page="lists",
        summaries=console.lists(aud), counts=console.counts(aud), declared={lst.id for lst in site.settings.lists},
        statuses=MEMBERSHIP_STATUSES, languages=SUPPORTED_LANGUAGES, done=_done(request),
        form=context.pop("form", {"language": "en", "double_opt_in": "1"}), **context,
    )  # fmt: skip


@router.get(LISTS, response_class=HTMLResponse)
def lists_page(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> HTMLResponse:
    return _lists_page(site, request, user, session)


@router.post(LISTS, response_model=None)
def create(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    form: Annotated[ListForm, Form()],
) -> Response:
    try:
        made = lists.create(
            site.audience, form.id.strip(), actor=Actor.of(user, client(request)), **form.fields()
        )
    except (Invalid, Conflict) as exc:
        return _lists_page(
            site, request, user, session, status_of(exc), error=str(exc), form=form.model_dump()
        )
    return RedirectResponse(f"{LISTS}/{made.id}?done=created", status_code=303)


def _list_page(
    site: Site,
    request: Request,
    user: User,
    session: Session,
    list_id: str,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    shown = lists.page(site.audience, list_id)
    weeks = [(w.start, w.joins, w.leaves) for w in shown.weeks]
    due = next_run(shown.declared, datetime.now(UTC)) if shown.declared else None
    return site.newsroom.render(
        request, "list.html", user=user, session=session, status=status, page="lists", shown=shown, lst=shown.lst,
        chart=weekly_bars(weeks), statuses=MEMBERSHIP_STATUSES, languages=SUPPORTED_LANGUAGES,
        due=due, templates=site.settings.template_folders(shown.declared) if shown.declared else [],
        search_of=search_of, done=_done(request), form=context.pop("form", shown.lst.model_dump()), **context,
    )  # fmt: skip


@router.get(LISTS + "/{list_id}", response_class=HTMLResponse)
def list_page(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, list_id: ListId
) -> HTMLResponse:
    return _list_page(site, request, user, session, list_id)


@router.post(LISTS + "/{list_id}", response_model=None)
def update(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, list_id: ListId,
    form: Annotated[ListForm, Form()],
) -> Response:  # fmt: skip
    try:
        lists.update(site.audience, list_id, Actor.of(user, client(request)), **form.fields())
    except (Invalid, Conflict) as exc:
        kept = form.model_dump() | {"reply_to": form.reply_to or None, "double_opt_in": bool(form.double_opt_in),
                                    "public": bool(form.public)}  # fmt: skip
        return _list_page(site, request, user, session, list_id, status_of(exc), error=str(exc), form=kept)
    return RedirectResponse(f"{LISTS}/{list_id}?done=saved", status_code=303)


# --- segments ------------------------------------------------------------------------------------------


def _segments_page(
    site: Site, request: Request, user: User, session: Session, status: int = 200, **context: Any
) -> HTMLResponse:
    return site.newsroom.render(
        request, "segments.html", user=user, session=session, status=status, page="lists",
        found=segments.sized(site.audience), search_of=search_of, done=_done(request), **context,
    )  # fmt: skip


@router.get(SEGMENTS, response_class=HTMLResponse)
def segments_page(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession
) -> HTMLResponse:
    return _segments_page(site, request, user, session)


class SegmentForm(BaseModel):
    """ "Save this search as a segment": its name and the search, as the subscribers table has it."""

    segment_name: str = Field("", max_length=400)
    prefix: str = Field("", max_length=320)
    name: str = Field("", max_length=320)
    status: list[str] = Field(default_factory=list, max_length=5)
    list_id: str = Field("", max_length=64)
    language: str = Field("", max_length=16)
    timezone: str = Field("", max_length=64)
    joined_from: str = Field("", max_length=32)
    joined_to: str = Field("", max_length=32)


@router.post(SEGMENTS, response_model=None)
def save(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    form: Annotated[SegmentForm, Form()],
) -> Response:
    try:
        query = console.query_of(prefix=form.prefix, name=form.name, statuses=form.status, list_id=form.list_id,
                                 language=form.language, timezone=form.timezone, joined_from=form.joined_from,
                                 joined_to=form.joined_to)  # fmt: skip
        made = segments.save(site.audience, form.segment_name, query, Actor.of(user, client(request)))
    except (Invalid, Conflict, NotFound) as exc:
        given = form.model_dump(exclude={"segment_name", "status"}) | {"statuses": form.status}
        back = "/admin/subscribers?" + search_link(given)
        return _segments_page(site, request, user, session, status_of(exc), error=str(exc), back=back)
    return RedirectResponse(f"{LISTS}/{made.list_id}?done=segment#segments", status_code=303)


@router.post(SEGMENTS + "/{segment_id}/delete", response_model=None)
def delete(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, segment_id: SegmentId
) -> Response:
    try:
        segments.delete(site.audience, segment_id, Actor.of(user, client(request)))
    except (Conflict, NotFound) as exc:
        return _segments_page(site, request, user, session, status_of(exc), error=str(exc))
    return RedirectResponse(f"{SEGMENTS}?done=deleted", status_code=303)
