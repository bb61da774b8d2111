"""/api/v1/imports: a CSV sent as the request's body (streamed to disk, as the console's upload is),
imported into a list as a background job (digest.audience.imports) with the mapping given, with
Idempotency-Key; and the job's status, progress and summary."""

from __future__ import annotations

from pathlib import Path as PathType
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from digest.audience import imports
from digest.domain import Job
from digest.errors import Invalid
from digest.web.bearer import current_token, token_actor
from digest.web.deps import SiteDep
from digest.web.idempotency import HEADER, response
from digest.web.policy import API
from digest.web.routes.api.models import ERRORS, ImportOut, RejectedOut
from digest.web.uploads import receive_body

MAX_ID = 2**31 - 1
router = APIRouter(responses=ERRORS)
CSV_BODY = {"requestBody": {"required": True, "description": "the CSV file, with its header row",
                            "content": {"text/csv": {"schema": {"type": "string"}}}}}  # fmt: skip


def _out(job: Job, report: PathType | None) -> ImportOut:
    rejected = imports.rejected_rows(report) if job.finished else []
    return ImportOut(
        id=job.id, status=str(job.status), list_id=job.params["list_id"], file=job.params["name"], done=job.done,
        total=job.total, summary=job.summary, error=job.error, created_at=job.created_at, started_at=job.started_at,
        finished_at=job.finished_at, rejected=[RejectedOut(row=r.row, field=r.field, reason=r.reason, value=r.value)
                                               for r in rejected],
    )  # fmt: skip


def _mapping(given: list[str]) -> dict[str, str]:
    mapping = {}
    for item in given:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip():
            raise Invalid(f"map {item!r}: write COLUMN=FIELD, e.g. map=E-Mail=email")
        mapping[column.strip()] = target.strip().lower()
    return mapping


@router.post(
    API + "/imports", response_model=ImportOut, status_code=202, tags=["imports"], openapi_extra=CSV_BODY
)
async def start(
    site: SiteDep,
    request: Request,
    list_id: Annotated[str, Query(min_length=1, max_length=64)],
    consent: Annotated[str | None, Query(max_length=500, description="where consent comes from")] = None,
    map: Annotated[list[str] | None, Query(max_length=300, description="COLUMN=FIELD, repeated")] = None,  # noqa: A002
    name: Annotated[
        str, Query(max_length=200, description="the file's name, as the consent records keep it")
    ] = "api.csv",
    idempotency_key: Annotated[str | None, Header(alias=HEADER, max_length=200)] = None,
) -> JSONResponse:
    """Import the CSV body into a list as `digest subscribers import` does: `map` names the field
    (email, name, language, timezone, status, attribute, ignore) of a column whose header is not
    one the importer knows; `consent` makes rows without a status confirmed. Answers the job at
    once (202); follow it at GET /imports/{id}."""
    token = current_token(request)
    folder = imports.uploads(site.audience)
    got = await receive_body(request, folder, imports.MAX_UPLOAD)
    upload_id = got.upload_id or ""

    def do() -> tuple[int, Any]:
        upload = folder.keep(upload_id, name, list_id)
        job = imports.start(site.audience, site.jobs, upload, list_id=list_id, consent=consent,
                            mapping=_mapping(map or []), actor=token_actor(request))  # fmt: skip
        return 202, _out(job, None).model_dump(mode="json")

    given = {"list_id": list_id, "consent": consent, "map": map, "name": name, "sha256": got.sha256}
    try:
        answer = await run_in_threadpool(site.answers.once, token.id, idempotency_key, given, do)
    except BaseException:
        folder.discard(upload_id)
        raise
    if answer.replayed:  # the first request's upload is the one imported
        folder.discard(upload_id)
    return response(answer)


@router.get(API + "/imports/{job_id}", response_model=ImportOut, tags=["imports"])
def status(site: SiteDep, job_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> ImportOut:
    """An import's status, its progress (rows read of the file's lines), its summary and the first
    rejected rows once it is done."""
    job = imports.job(site.jobs, job_id)
    return _out(job, site.jobs.report(job))
