"""The public web archive: an edition as its readers got it, without anyone's personal links; and
each public list's index of its past editions, with their Atom feed.

The mail's "view in browser" link points here, so an edition is served from the moment it starts
sending (the first recipients already hold the link), not only once every row is sent.
"""

from __future__ import annotations

from babel.dates import format_date
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from digest.domain import Edition
from digest.editions import archive, service
from digest.render.feed import when
from digest.web.deps import SiteDep

FEED_TYPE = "application/atom+xml; charset=utf-8"
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


@router.get("/archive/list/{list_id}", response_class=HTMLResponse)
def list_archive_page(site: SiteDep, request: Request, list_id: str) -> HTMLResponse:
    """A public list's past editions, newest first, with its Atom feed; a private list is not found."""
    shown = archive.list_archive(site.engine, site.settings, list_id)
    lst = shown.lst

    def date(edition: Edition) -> str:
        return format_date(when(edition), format="long", locale=lst.language)

    page = site.pages.render(
        request,
        "archive_index.html",
        lst.language,
        "archive_title",
        title_values={"list": lst.name},
        brand=lst,
        archive=shown,
        date=date,
        when=when,
    )
    page.headers["Cache-Control"] = HEADERS["Cache-Control"]
    return page


@router.get("/archive/list/{list_id}/feed.atom")
def list_feed(site: SiteDep, list_id: str) -> Response:
    atom = archive.feed(site.engine, site.settings, list_id)
    return Response(atom, media_type=FEED_TYPE, headers={"Cache-Control": HEADERS["Cache-Control"]})
