"""What readers want (digest.editions.interest): a list's click-through per source and per tag over
its last sent editions, for those who may curate the list (editors and up), with the
factor each source's weight gets when the list learns from it (`selection: {learn: true}`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from digest.editions.interest import HIGHEST, LOWEST, PRIOR_CLICKS, list_interest
from digest.errors import ConfigError, NotFound
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import SiteDep

router = APIRouter()


@router.get("/newsroom/lists/{list_id}/readers", response_class=HTMLResponse)
def readers(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    list_id: Annotated[str, Path(max_length=64)],
) -> HTMLResponse:
    try:
        lst = site.settings.get_list(list_id)
    except ConfigError:
        raise NotFound(f"no list {list_id!r}") from None
    shown = list_interest(site.engine, site.settings, lst)
    return site.newsroom.render(request, "interest.html", user=user, session=session, page="sources", lst=lst,
                                interest=shown, lowest=LOWEST, highest=HIGHEST, prior=PRIOR_CLICKS)  # fmt: skip
