"""An edition's history: its change log with who and when, ledes before and after
(digest.editions.history), for anyone who may read the edition's list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from digest.editions import history as edition_history
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import SiteDep

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
router = APIRouter()


@router.get("/newsroom/editions/{edition_id}/history", response_class=HTMLResponse)
def history(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    edition_id: Annotated[int, Path(gt=0, le=MAX_ID)],
) -> HTMLResponse:
    shown = edition_history.history(site.engine, site.settings, edition_id)
    return site.newsroom.render(request, "history.html", user=user, session=session, history=shown)
