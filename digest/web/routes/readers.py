"""A story's tracked link and the open pixel (digest.deliver.readers has the rules): the link
redirects to the story, the pixel answers a 1x1 GIF, both at once, the hit recorded after. No
redirect ever leads off the site except to a link the edition carried; a link that is not genuine
shows the invalid-link page."""

from __future__ import annotations

import base64

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from digest.links import READER_PARAM
from digest.web.deps import SiteDep
from digest.web.middleware import HEAD_ASKED

GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")  # 1x1, transparent
NO_CACHE = {"Cache-Control": "no-store, no-cache, must-revalidate, max-age=0", "Pragma": "no-cache", "Expires": "0"}
AGENT_CHARS = 500
router = APIRouter()


def _asked(request: Request) -> tuple[bool, str]:
    return bool(request.scope.get(HEAD_ASKED)), request.headers.get("user-agent", "")[:AGENT_CHARS]


@router.get("/c/{token}")
async def tracked_link(site: SiteDep, request: Request, token: str) -> Response:
    head, agent = _asked(request)
    target = site.readers.click(token, request.query_params.get(READER_PARAM), head=head, agent=agent)
    if target is None:
        return site.pages.invalid_link(request)
    return RedirectResponse(target, status_code=302, headers=NO_CACHE)


@router.get("/o/{token}.gif")
async def open_pixel(site: SiteDep, request: Request, token: str) -> Response:
    head, agent = _asked(request)
    site.readers.opened(token, head=head, agent=agent)
    return Response(GIF, media_type="image/gif", headers=NO_CACHE)
