"""Today, the newsroom's home page: each list the signed-in user may read, with its next run, its
open edition, its last send and its failing sources (digest.editions.overview)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from digest.editions import overview
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import SiteDep

router = APIRouter()


@router.get("/newsroom", response_class=HTMLResponse)
def today(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> HTMLResponse:
    shown = overview.today(site.engine, site.settings, user)
    return site.newsroom.render(
        request, "today.html", user=user, session=session, today=shown, subject_max=overview.SUBJECT_MAX
    )
