"""/api/v1 what readers did with an edition (digest.editions.report): its figures with their rates,
its stories ranked by clicks with their links, its first 48 hours; a list's trend over its last
editions. The same figures as the newsroom's report page."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query

from digest.editions import report
from digest.web.deps import SiteDep
from digest.web.policy import API
from digest.web.routes.api.models import ERRORS, EditionReportOut, TrendOut

EditionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
router = APIRouter(responses=ERRORS)


@router.get(API + "/editions/{edition_id}/report", response_model=EditionReportOut, tags=["events"])
def edition_report(site: SiteDep, edition_id: EditionId) -> EditionReportOut:
    """The edition's figures (counts and rates), its stories most clicked first, its first 48 hours."""
    return EditionReportOut.model_validate(asdict(report.edition_report(site.engine, edition_id)))


@router.get(API + "/lists/{list_id}/trend", response_model=TrendOut, tags=["events"])
def trend(
    site: SiteDep,
    list_id: Annotated[str, Path(max_length=64)],
    last: Annotated[int, Query(ge=1, le=report.TREND_MAX, description="how many of its last editions")] = 12,
) -> TrendOut:
    """The main figures of the list's last editions sent, oldest first."""
    return TrendOut.model_validate(asdict(report.list_trend(site.engine, list_id, last)))
