"""The admin console's imports (digest.audience.imports): upload a CSV (streamed to disk), map its
columns and see its first rows as they will be read, then start the import, a job watched on its
page (digest.web.routes.jobs: the progress, the counts, the rejected rows and their CSV). Every page
works without JavaScript: the upload is a plain form, the mapping a form whose preview button shows
the first rows again (htmx redraws them as the choices change); the form posts what it shows, so the import runs with the choices on screen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from digest.audience import console, imports
from digest.domain import Actor, Session, User
from digest.errors import Invalid, NotFound
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import Site, SiteDep, client
from digest.web.uploads import receive_form
from subscribers.importer import TARGETS

UploadId = Annotated[str, Path(max_length=64)]
router = APIRouter()


def _imports_page(site: Site, request: Request, user: User, session: Session, status: int = 200,
                  error: str | None = None) -> HTMLResponse:  # fmt: skip
    return site.newsroom.render(
        request, "imports.html", user=user, session=session, status=status, page="imports", error=error,
        lists=console.lists(site.audience), jobs=site.jobs.recent(imports.KIND), max_gb=imports.MAX_UPLOAD / 1024**3,
    )  # fmt: skip


@router.get("/admin/imports", response_class=HTMLResponse)
def imports_page(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> HTMLResponse:
    return _imports_page(site, request, user, session)


@router.post("/admin/imports", response_model=None)
async def upload(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> Response:
    """The file streamed to the uploads folder, then on to its mapping."""
    folder = imports.uploads(site.audience)
    try:
        got = await receive_form(request, folder, imports.MAX_UPLOAD)
        if got.upload_id is None:
            raise Invalid("choose a CSV file to upload")
        kept = await run_in_threadpool(folder.keep, got.upload_id, got.filename, got.one("list_id"))
    except Invalid as exc:
        return _imports_page(site, request, user, session, 422, str(exc))
    return RedirectResponse(f"/admin/imports/uploads/{kept.id}", status_code=303)


def _mapping_page(
    site: Site,
    request: Request,
    user: User,
    session: Session,
    upload_id: str,
    list_id: str,
    consent: str,
    chosen: list[str] | None,
    status: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    upload = imports.uploads(site.audience).get(upload_id)
    try:
        shown = imports.plan(site.audience, upload, imports.mapping_of(upload, chosen), consent)
    except Invalid as exc:  # a mapping of another file's columns: the pre-filled one, and why
        error, status = str(exc), 422
        shown = imports.plan(site.audience, upload, {}, consent)
    return site.newsroom.render(
        request, "import_mapping.html", user=user, session=session, status=status, page="imports",
        error=error, plan=shown, upload=upload, lists=console.lists(site.audience),
        list_id=list_id or upload.list_id or "", consent=consent, targets=TARGETS,
    )  # fmt: skip


@router.get("/admin/imports/uploads/{upload_id}", response_class=HTMLResponse)
def mapping(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, upload_id: UploadId
) -> HTMLResponse:
    """The mapping pre-filled (the importer's aliases), the list the upload named."""
    return _mapping_page(site, request, user, session, upload_id, "", "", None)


@router.post("/admin/imports/uploads/{upload_id}", response_model=None)
def start(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    upload_id: UploadId,
    list_id: Annotated[str, Form(max_length=64)] = "",
    consent: Annotated[str, Form(max_length=1000)] = "",
    map: Annotated[list[str] | None, Form(max_length=16)] = None,  # noqa: A002
    action: Annotated[str, Form(max_length=16)] = "import",
) -> Response:
    """The mapping form's two buttons: "Show the first rows" (the page again, with the choices made)
    and "Import" (the job, with exactly the choices shown)."""
    if action == "preview":
        return _mapping_page(site, request, user, session, upload_id, list_id, consent, map)
    upload = imports.uploads(site.audience).get(upload_id)
    try:
        if not list_id:
            raise Invalid("choose the list to import into")
        job = imports.start(site.audience, site.jobs, upload, list_id=list_id, consent=consent,
                            mapping=imports.mapping_of(upload, map), actor=Actor.of(user, client(request)))  # fmt: skip
    except (Invalid, NotFound) as exc:
        return _mapping_page(site, request, user, session, upload_id, list_id, consent, map, 422, str(exc))
    return RedirectResponse(f"/admin/jobs/{job.id}", status_code=303)
