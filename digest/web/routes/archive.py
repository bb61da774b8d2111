"""The public web archive: an edition as its readers got it, without anyone's personal links.

The mail's "view in browser" link points here, so an edition is served from the moment it starts
sending (the first recipients already hold the link), not only once every row is sent.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from digest.domain import Edition
from digest.errors import ConfigError
from digest.links import ARCHIVE_PATH
from digest.render import render_archive
from digest.store.editions import load_edition
from digest.web.deps import Site, SiteDep

PUBLIC_STATUSES = ("sending", "sent")
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
HEADERS = {
    # The page is an email: no scripts, images and fonts over https only.
    "Content-Security-Policy": "default-src 'none'; img-src https: data:; style-src 'unsafe-inline' https:; "
    "font-src https:; frame-ancestors 'self'",
    "Cache-Control": "public, max-age=300",
}

router = APIRouter()


def _edition_id(text: str) -> int:
    """The edition id in the path; anything that can name no edition is not found (404), not an error."""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        raise HTTPException(status_code=404)
    return int(text)


@router.get("/archive/{edition_id}", response_class=HTMLResponse)
def archive_page(site: SiteDep, edition_id: str) -> HTMLResponse:
    """Errors are raised as HTTPException: the app answers them with a page in the reader's language."""
    number = _edition_id(edition_id)
    with site.engine.connect() as conn:
        edition = load_edition(conn, number)
    if edition is None or edition.status not in PUBLIC_STATUSES:
        raise HTTPException(status_code=404)
    return edition_page(site, edition, number)


def edition_page(site: Site, edition: Edition, edition_id: int, headers: dict[str, str] = HEADERS) -> HTMLResponse:
    settings = site.settings
    try:
        lst = settings.get_list(edition.list_id)
    except ConfigError:
        raise HTTPException(status_code=404) from None
    url = settings.base_url + ARCHIVE_PATH.format(edition_id=edition_id)
    page = render_archive(edition, lst, settings.template_folders(lst), url)
    return HTMLResponse(page, headers=headers)
