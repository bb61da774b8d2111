"""A draft as its readers would get it, for the editors the review mail went to (a signed link).
A signed-in editor who may read the edition is taken on to its board instead."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from digest.domain import Permission
from digest.editions import service
from digest.links import REVIEW_DAYS
from digest.web.auth import visitor
from digest.web.deps import SiteDep
from digest.web.policy import BOARD
from digest.web.routes.archive import HEADERS
from subscribers.tokens import InvalidToken

router = APIRouter()


@router.get("/review/{token}", response_class=HTMLResponse)
def review_page(site: SiteDep, request: Request, token: str) -> Response:
    try:
        edition_id = site.tokens.verify("review", token, max_age=REVIEW_DAYS * 86400).subject_id
    except InvalidToken as exc:
        raise HTTPException(status_code=410 if exc.expired else 400) from None
    user = visitor(request)
    list_id = site.list_of_edition(edition_id)
    if user is not None and list_id is not None and user.may(Permission.READ, list_id):
        return RedirectResponse(BOARD.format(edition_id=edition_id), status_code=303)
    page = service.draft_page(site.engine, site.settings, edition_id)
    return HTMLResponse(page, headers={**HEADERS, "Cache-Control": "no-store"})
