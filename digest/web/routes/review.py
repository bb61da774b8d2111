"""A draft as its readers would get it, for the editors the review mail went to (a signed link)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from digest.editions import service
from digest.links import REVIEW_DAYS
from digest.web.deps import SiteDep
from digest.web.routes.archive import HEADERS
from subscribers.tokens import InvalidToken

router = APIRouter()


@router.get("/review/{token}", response_class=HTMLResponse)
def review_page(site: SiteDep, token: str) -> HTMLResponse:
    try:
        edition_id = site.tokens.verify("review", token, max_age=REVIEW_DAYS * 86400).subject_id
    except InvalidToken as exc:
        raise HTTPException(status_code=410 if exc.expired else 400) from None
    page = service.draft_page(site.engine, site.settings, edition_id)
    return HTMLResponse(page, headers={**HEADERS, "Cache-Control": "no-store"})
