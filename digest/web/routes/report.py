"""An edition's report (digest.editions.report) for anyone who may read its list: its figures with
their rates, its stories ranked by clicks with their links, its first 48 hours as an SVG chart with
the table of its figures; the people behind a figure, for those who may see subscribers; a list's
trend over its last editions. Read-only pages that work without JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from digest.domain import Permission
from digest.editions import report
from digest.errors import Invalid
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.charts import hourly_bars
from digest.web.deps import SiteDep
from digest.web.policy import BOARD

MAX_ID = 2**31 - 1
EditionId = Annotated[int, Path(gt=0, le=MAX_ID)]
router = APIRouter()


@router.get(BOARD + "/report", response_class=HTMLResponse)
def edition_report(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: EditionId
) -> HTMLResponse:
    shown = report.edition_report(site.engine, edition_id)
    chart = hourly_bars([(h.hour, h.opens, h.clicks) for h in shown.timeline])
    return site.newsroom.render(
        request, "report.html", user=user, session=session, report=shown, chart=chart,
        people=user.may(Permission.MANAGE_SUBSCRIBERS, shown.list_id),
    )  # fmt: skip


@router.get(BOARD + "/report/people", response_class=HTMLResponse)
def people(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    edition_id: EditionId,
    figure: Annotated[str, Query(max_length=32)] = "",
    item: Annotated[int | None, Query(gt=0, le=MAX_ID)] = None,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> HTMLResponse:
    """The subscribers behind one of the report's figures (of one story, for clicks), a page at a time."""
    shown = report.edition_report(site.engine, edition_id)
    try:
        found, more = report.people(site.engine, edition_id, figure, item_id=item, after=after)
    except Invalid as exc:  # a figure the report has not: say so on the page, with the report's link
        return site.newsroom.render(request, "report_people.html", user=user, session=session, report=shown,
                                    figure=figure, error=str(exc), status=422)  # fmt: skip
    story = next((s for s in shown.stories if item is not None and s.item_id == item), None)
    return site.newsroom.render(request, "report_people.html", user=user, session=session, report=shown,
                                figure=figure, story=story, item=item, found=found, more=more)  # fmt: skip


@router.get("/newsroom/lists/{list_id}/trend", response_class=HTMLResponse)
def trend(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    list_id: Annotated[str, Path(max_length=64)],
    last: Annotated[int, Query(ge=1, le=report.TREND_MAX)] = 12,
) -> HTMLResponse:
    shown = report.list_trend(site.engine, list_id, last)
    name = next((lst.name for lst in site.settings.lists if lst.id == list_id), list_id)
    return site.newsroom.render(request, "trend.html", user=user, session=session, trend=shown, name=name,
                                last=last)  # fmt: skip
