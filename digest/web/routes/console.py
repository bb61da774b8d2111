"""The admin console's subscribers (digest.audience.console): the table with its search and its
pages, the CSV download of a search, a subscriber's page, their privacy export and their erasure
(behind a confirmation form). Every page works without JavaScript: the search is a GET form, the
pages are links."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from digest.audience import bulk, console
from digest.domain import Actor
from digest.errors import Invalid, NotFound
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import SiteDep, client
from digest.web.newsroom import search_link
from subscribers import search
from subscribers.models import MEMBERSHIP_STATUSES, SUPPORTED_LANGUAGES

MAX_ID = 2**31 - 1
Text = Annotated[str, Query(max_length=320)]
router = APIRouter()


def _search(
    prefix: Text = "",
    name: Text = "",
    status: Annotated[list[str] | None, Query(max_length=16)] = None,
    list_id: Annotated[str, Query(max_length=64)] = "",
    language: Annotated[str, Query(max_length=16)] = "",
    timezone: Annotated[str, Query(max_length=64)] = "",
    joined_from: Annotated[str, Query(max_length=32)] = "",
    joined_to: Annotated[str, Query(max_length=32)] = "",
) -> dict[str, object]:
    return {"prefix": prefix, "name": name, "statuses": [s for s in status or [] if s], "list_id": list_id,
            "language": language, "timezone": timezone, "joined_from": joined_from, "joined_to": joined_to}  # fmt: skip


Searched = Annotated[dict[str, object], Depends(_search)]


@router.get("/admin/subscribers", response_class=HTMLResponse)
def table(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    given: Searched,
    cursor: Annotated[str, Query(max_length=2000)] = "",
) -> HTMLResponse:
    aud = site.audience
    shown, error, code = None, None, 200
    try:
        query = console.query_of(**given)  # type: ignore[arg-type]
        try:
            shown = console.table(aud, query, cursor or None)
        except Invalid as exc:  # a page link altered or of another search: the first page, and why
            if not cursor:
                raise
            error, code = str(exc), 422
            shown = console.table(aud, query)
    except (Invalid, NotFound) as exc:
        error, code = str(exc), 422 if isinstance(exc, Invalid) else 404
    return site.newsroom.render(
        request,
        "subscribers.html",
        user=user,
        session=session,
        status=code,
        page="subscribers",
        given=given,
        shown=shown,
        error=error,
        counts=console.counts(aud),
        lists=console.lists(aud),
        statuses=MEMBERSHIP_STATUSES,
        languages=SUPPORTED_LANGUAGES,
        link=lambda **extra: "/admin/subscribers?" + search_link(given, **extra),
        download="/admin/subscribers/export.csv?" + search_link(given),
        by_address=search.Order.ADDRESS,
    )


@router.get("/admin/subscribers/export.csv")
def export(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    given: Searched,
) -> Response:
    query = console.query_of(**given)  # type: ignore[arg-type]
    chunks = console.export(site.audience, query, Actor.of(user, client(request)))
    name_of = f"subscribers-{query.list_id}.csv" if query.list_id else "subscribers.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name_of}"', "Cache-Control": "no-store"}
    return StreamingResponse(chunks, media_type="text/csv; charset=utf-8", headers=headers)


Field = Annotated[str, Form(max_length=320)]


@router.get("/admin/subscribers/bulk", response_class=HTMLResponse)
def bulk_form(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    given: Searched,
    action: Annotated[str, Query(max_length=16)] = "",
    target: Annotated[str, Query(max_length=64)] = "",
    consent: Text = "",
) -> HTMLResponse:
    """What an action on the search would do, counted, before it is confirmed."""
    proposal, error = None, None
    try:
        proposal = bulk.propose(site.audience, given, action, target or None, consent or None)
    except (Invalid, NotFound) as exc:
        error = str(exc)
    return site.newsroom.render(request, "bulk.html", user=user, session=session, page="subscribers",
                                status=422 if error else 200, given=given, proposal=proposal, error=error,
                                action=action, target=target, consent=consent)  # fmt: skip


@router.post("/admin/subscribers/bulk")
def bulk_start(
    site: SiteDep, request: Request, user: CurrentUser, given: Searched, action: Field, target: Field = "",
    consent: Field = "",
) -> RedirectResponse:  # fmt: skip
    """Run the action on the search as a job, and watch it."""
    job = bulk.start(site.audience, site.jobs, given, action, target or None, consent or None,
                     Actor.of(user, client(request)))  # fmt: skip
    return RedirectResponse(f"/admin/jobs/{job.id}", status_code=303)


SubscriberId = Annotated[int, Path(gt=0, le=MAX_ID)]


@router.get("/admin/subscribers/{subscriber_id}", response_class=HTMLResponse)
def subscriber(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, subscriber_id: SubscriberId
) -> HTMLResponse:
    shown = console.subscriber_page(site.audience, subscriber_id)
    return site.newsroom.render(
        request, "subscriber.html", user=user, session=session, page="subscribers", sub=shown
    )


@router.get("/admin/subscribers/{subscriber_id}/privacy.json")
def privacy_export(
    site: SiteDep, request: Request, user: CurrentUser, subscriber_id: SubscriberId
) -> Response:
    data = console.privacy_export(site.audience, subscriber_id, Actor.of(user, client(request)))
    headers = {
        "Content-Disposition": f'attachment; filename="subscriber-{subscriber_id}.json"',
        "Cache-Control": "no-store",
    }
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json; charset=utf-8", headers=headers)


@router.get("/admin/subscribers/{subscriber_id}/erase", response_class=HTMLResponse)
def erase_form(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, subscriber_id: SubscriberId
) -> HTMLResponse:
    shown = console.subscriber_page(site.audience, subscriber_id)
    return site.newsroom.render(
        request, "erase.html", user=user, session=session, page="subscribers", sub=shown
    )


@router.post("/admin/subscribers/{subscriber_id}/erase", response_class=HTMLResponse)
def erase(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    subscriber_id: SubscriberId,
    confirm: Annotated[str, Form(max_length=320)] = "",
) -> HTMLResponse:
    shown = console.subscriber_page(site.audience, subscriber_id)
    if confirm.strip().casefold() != shown.email.casefold():  # the form asks for the address, typed
        return site.newsroom.render(request, "erase.html", user=user, session=session, page="subscribers",
                                    sub=shown, mismatch=True, status=422)  # fmt: skip
    done = console.erase(site.audience, subscriber_id, Actor.of(user, client(request)))
    return site.newsroom.render(request, "erase.html", user=user, session=session, page="subscribers",
                                sub=shown, done=done)  # fmt: skip
