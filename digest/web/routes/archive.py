"""The public web archive: an edition as its readers got it, without anyone's personal links.

The mail's "view in browser" link points here, so an edition is served from the moment it starts
sending (the first recipients already hold the link), not only once every row is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from digest.config import Settings
from digest.domain import Edition
from digest.errors import ConfigError
from digest.links import ARCHIVE_PATH, REVIEW_DAYS
from digest.render import render_archive
from digest.store.editions import load_edition
from subscribers.tokens import InvalidToken, Tokens

PUBLIC_STATUSES = ("sending", "sent")
HEADERS = {
    # The page is an email: no scripts, images and fonts over https only.
    "Content-Security-Policy": "default-src 'none'; img-src https: data:; style-src 'unsafe-inline' https:; "
    "font-src https:; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "public, max-age=300",
}

router = APIRouter()


@dataclass(frozen=True)
class Store:
    engine: Engine
    settings: Settings


def get_store(request: Request) -> Store:
    """The app's database engine and settings, which the app puts in `app.state`."""
    return Store(request.app.state.engine, request.app.state.settings)


MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def _edition_id(text: str) -> int:
    """The edition id in the path; anything that can name no edition is not found (404), not an error."""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        raise HTTPException(status_code=404)
    return int(text)


@router.get("/archive/{edition_id}", response_class=HTMLResponse)
def archive_page(edition_id: str, store: Store = Depends(get_store)) -> HTMLResponse:
    """Errors are raised as HTTPException: the app answers them with a page in the reader's language."""
    number = _edition_id(edition_id)
    with store.engine.connect() as conn:
        edition = load_edition(conn, number)
    if edition is None or edition.status not in PUBLIC_STATUSES:
        raise HTTPException(status_code=404)
    return _page(store, edition, number)


@router.get("/review/{token}", response_class=HTMLResponse)
def review_page(token: str, request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    """A draft as its readers would get it, for the editors the review mail went to."""
    try:
        edition_id = Tokens(request.app.state.secret_key).verify(
            "review", token, max_age=REVIEW_DAYS * 86400
        ).subject_id
    except InvalidToken as exc:
        raise HTTPException(status_code=410 if exc.expired else 400) from None
    with store.engine.connect() as conn:
        edition = load_edition(conn, edition_id)
    if edition is None:
        raise HTTPException(status_code=404)
    return _page(store, edition, edition_id, headers={**HEADERS, "Cache-Control": "no-store"})


def _page(store: Store, edition: Edition, edition_id: int, headers: dict[str, str] = HEADERS) -> HTMLResponse:
    settings = store.settings
    try:
        lst = settings.get_list(edition.list_id)
    except ConfigError:
        raise HTTPException(status_code=404) from None
    url = settings.base_url + ARCHIVE_PATH.format(edition_id=edition_id)
    page = render_archive(edition, lst, settings.template_folders(lst), url)
    return HTMLResponse(page, headers=headers)
