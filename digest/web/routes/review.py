"""A draft as its readers would get it, for the editors the review mail went to (a signed link)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from digest.links import REVIEW_DAYS
from digest.store.editions import load_edition
from digest.web.deps import SiteDep
from digest.web.routes.archive import HEADERS, edition_page
from subscribers.tokens import InvalidToken

router = APIRouter()


@router.get("/review/{token}", response_class=HTMLResponse)
def review_page(site: SiteDep, token: str) -> HTMLResponse:
    try:
        edition_id = site.tokens.verify("review", token, max_age=REVIEW_DAYS * 86400).subject_id
    except InvalidToken as exc:
        raise HTTPException(status_code=410 if exc.expired else 400) from None
    with site.engine.connect() as conn:
        edition = load_edition(conn, edition_id)
    if edition is None:
        raise HTTPException(status_code=404)
    return edition_page(site, edition, edition_id, headers={**HEADERS, "Cache-Control": "no-store"})
