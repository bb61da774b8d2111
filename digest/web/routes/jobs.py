"""The admin console's background jobs (digest.jobs): the recent ones, one job's progress (a fragment
htmx polls while it runs; without JavaScript the page reloads itself) and its report (an import's
first rejected rows shown on its page)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, HTMLResponse

from digest.audience import imports
from digest.errors import NotFound
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import SiteDep

JobId = Annotated[int, Path(gt=0, le=2**31 - 1)]
router = APIRouter()


@router.get("/admin/jobs", response_class=HTMLResponse)
def jobs(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> HTMLResponse:
    return site.newsroom.render(request, "jobs.html", user=user, session=session, page="subscribers",
                                jobs=site.jobs.recent(limit=50))  # fmt: skip


@router.get("/admin/jobs/{job_id}", response_class=HTMLResponse)
def job(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, job_id: JobId
) -> HTMLResponse:
    found = site.jobs.get(job_id)
    template = "_job.html" if request.headers.get("HX-Request") else "job.html"
    report = site.jobs.report(found)
    rejected = imports.rejected_rows(report) if found.kind == imports.KIND and found.finished else []
    return site.newsroom.render(request, template, user=user, session=session, page="subscribers", job=found,
                                has_report=report is not None, rejected=rejected)  # fmt: skip


@router.get("/admin/jobs/{job_id}/report.csv")
def report(site: SiteDep, job_id: JobId) -> FileResponse:
    found = site.jobs.get(job_id)
    path = site.jobs.report(found)
    if path is None:
        raise NotFound(f"job {job_id} has no report")
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename=f"job-{job_id}-report.csv",
                        headers={"Cache-Control": "no-store"})  # fmt: skip
