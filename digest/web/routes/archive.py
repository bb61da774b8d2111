"""The public web archive: an edition as its readers got it, without anyone's personal links.

The mail's "view in browser" link points here, so an edition is served from the moment it starts
sending (the first recipients already hold the link), not only once every row is sent.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from digest.editions import service
from digest.web.deps import SiteDep

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
    """An edition that is not (yet) public is not found: the app answers with a page in the reader's language."""
    page = service.public_page(site.engine, site.settings, _edition_id(edition_id))
    return HTMLResponse(page, headers=HEADERS)
