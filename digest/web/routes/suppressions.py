"""The admin console's suppressions, bounces and complaints (digest.audience.suppressions): the
suppression list with its search by address and its reasons, an address added with a reason and a
note, a suppression taken off behind a confirmation form with a note; the provider's bounces and
complaints by kind and date. Every page works without JavaScript: GET forms and links, POST forms."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from digest.audience import suppressions
from digest.domain import Actor, Session, User
from digest.errors import Conflict, Invalid
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import Site, SiteDep, client
from subscribers.suppression import REASONS

MAX_ID = 2**31 - 1
SuppressionId = Annotated[int, Path(gt=0, le=MAX_ID)]
Short = Annotated[str, Query(max_length=320)]
Note = Annotated[str, Form(max_length=2000)]
DONE = ("added", "removed")
router = APIRouter()


def _list(
    site: Site, request: Request, user: User, session: Session, status: int = 200, **context: Any
) -> HTMLResponse:
    given = {k: request.query_params.get(k, "") for k in ("reason", "address")}
    shown, error = None, context.pop("error", None)
    try:
        before = request.query_params.get("before", "")
        if before and not (before.isdigit() and 0 < int(before) <= MAX_ID):
            raise Invalid("this page link is damaged: the list starts again from its newest")
        shown = suppressions.page(
            site.audience, given["reason"], int(before) if before else None, given["address"]
        )
    except Invalid as exc:
        error, status = error or str(exc), 422
    done = request.query_params.get("done", "")
    return site.newsroom.render(
        request, "suppressions.html", user=user, session=session, status=status, page="suppressions",
        given=given, shown=shown, error=error, reasons=REASONS, addable=suppressions.ADDABLE,
        done=done if done in DONE else "", form=context.pop("form", {}),
        link=lambda **extra: "/admin/suppressions?" + urlencode({k: v for k, v in {**given, **extra}.items() if v}),
        **context,
    )  # fmt: skip


@router.get("/admin/suppressions", response_class=HTMLResponse)
def suppressions_page(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession
) -> HTMLResponse:
    return _list(site, request, user, session)


@router.post("/admin/suppressions", response_model=None)
def add(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    address: Annotated[str, Form(max_length=320)] = "",
    reason: Annotated[str, Form(max_length=32)] = "manual",
    note: Note = "",
) -> Response:
    try:
        suppressions.add(site.audience, address, reason, note, Actor.of(user, client(request)))
    except (Invalid, Conflict) as exc:
        form = {"address": address, "reason": reason, "note": note}
        return _list(
            site, request, user, session, 422 if isinstance(exc, Invalid) else 409, error=str(exc), form=form
        )
    return RedirectResponse(
        "/admin/suppressions?" + urlencode({"done": "added", "address": address}), status_code=303
    )


@router.get("/admin/suppressions/{suppression_id}/remove", response_class=HTMLResponse)
def remove_form(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, suppression_id: SuppressionId
) -> HTMLResponse:
    found = suppressions.get(site.audience, suppression_id)
    return site.newsroom.render(request, "unsuppress.html", user=user, session=session, page="suppressions",
                                found=found)  # fmt: skip


@router.post("/admin/suppressions/{suppression_id}/remove", response_model=None)
def remove(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    suppression_id: SuppressionId,
    note: Note = "",
) -> Response:
    try:
        suppressions.remove(site.audience, suppression_id, note, Actor.of(user, client(request)))
    except (Invalid, Conflict) as exc:
        found = suppressions.get(site.audience, suppression_id)
        return site.newsroom.render(request, "unsuppress.html", user=user, session=session, page="suppressions",
                                    found=found, error=str(exc), note=note, status=422 if isinstance(exc, Invalid) else 409)  # fmt: skip
    return RedirectResponse("/admin/suppressions?done=removed", status_code=303)


@router.get("/admin/bounces", response_class=HTMLResponse)
def bounces(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    kind: Annotated[str, Query(max_length=32)] = "",
    since: Annotated[str, Query(alias="from", max_length=32)] = "",
    until: Annotated[str, Query(alias="to", max_length=32)] = "",
    before_at: Annotated[str, Query(max_length=64)] = "",
    before_id: Short = "",
) -> HTMLResponse:
    given = {"kind": kind, "from": since, "to": until}
    shown, error, status = None, None, 200
    try:
        shown = suppressions.events(
            site.audience, kind, since, until, suppressions.position(before_at, before_id)
        )
    except Invalid as exc:
        error, status = str(exc), 422
    return site.newsroom.render(
        request, "bounces.html", user=user, session=session, status=status, page="bounces", given=given,
        shown=shown, error=error, kinds=suppressions.PROBLEMS,
        link=lambda **extra: "/admin/bounces?" + urlencode({k: v for k, v in {**given, **extra}.items() if v}),
    )  # fmt: skip
