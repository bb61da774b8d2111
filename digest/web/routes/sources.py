"""The admin console's sources (digest.ingest.catalog, digest.ingest.health): every source's health,
config.yaml's shown as the file's (read-only), those added in the browser added, edited, disabled and
enabled; "read now" reads one then and there and shows what came of it. Editors and up see the
health (what their editions are made of); changing and reading need manage_sources. Every page
works without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from digest.domain import Actor, Permission, Session, User
from digest.errors import Conflict, Invalid, NotFound
from digest.ingest import catalog
from digest.ingest.health import sources_health
from digest.ingest.run import read_now
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import Site, SiteDep, client

Name = Annotated[str, Form(max_length=200)]
Field = Annotated[str, Form(max_length=2000)]
Lists = Annotated[list[str] | None, Form(max_length=64)]
DONE = ("added", "changed", "enabled", "disabled")
router = APIRouter()


def _form(
    kind: Annotated[str, Form(max_length=16)] = "feed",
    url: Field = "",
    language: Annotated[str, Form(max_length=16)] = "",
    weight: Annotated[str, Form(max_length=16)] = "1",
    full_text: Annotated[str, Form(max_length=8)] = "",
    tags: Field = "",
    lists: Lists = None,
) -> dict[str, Any]:
    """A source's form, as catalog.define takes it (tags separated by commas)."""
    return {"kind": kind, "url": url.strip(), "language": language.strip(), "weight": weight.strip(),
            "full_text": full_text == "yes", "tags": [t.strip() for t in tags.split(",") if t.strip()],
            "lists": [x for x in lists or [] if x]}  # fmt: skip


SourceForm = Annotated[dict[str, Any], Depends(_form)]


def _naming(site: Site) -> list[str]:
    """The lists that name their sources in config.yaml: an added source feeds those it is given (the
    others take every source)."""
    return [lst.id for lst in site.settings.lists if lst.sources]


def _page(
    site: Site, request: Request, user: User, session: Session, status: int = 200, **context: Any
) -> HTMLResponse:
    done = request.query_params.get("done", "")
    declared = {s.name: s.url or s.path or "" for s in site.settings.sources}
    return site.newsroom.render(
        request, "sources.html", user=user, session=session, status=status, page="sources",
        sources=sources_health(site.engine, site.settings), declared=declared, kinds=catalog.KINDS,
        lists=_naming(site), takes_all=len(_naming(site)) < len(site.settings.lists),
        followed=[lst for lst in site.settings.lists if user.may(Permission.CURATE, lst.id)],  # their readers' clicks
        done=done if done in DONE else "", form=context.pop("form", {}), **context,
    )  # fmt: skip


@router.get("/admin/sources", response_class=HTMLResponse)
def sources_page(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> HTMLResponse:
    return _page(site, request, user, session)


@router.post("/admin/sources", response_model=None)
def add(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    values: SourceForm,
    name: Name = "",
) -> Response:
    given = {"name": name, **values}
    try:
        catalog.add(site.engine, site.settings, given, Actor.of(user, client(request)))
    except (Invalid, Conflict) as exc:
        form = {**given, "tags": ", ".join(values["tags"])}
        return _page(
            site, request, user, session, 422 if isinstance(exc, Invalid) else 409, error=str(exc), form=form
        )
    return RedirectResponse("/admin/sources?done=added", status_code=303)


def _edit_page(site: Site, request: Request, user: User, session: Session, name: str, status: int = 200,
               **context: Any) -> HTMLResponse:  # fmt: skip
    found = catalog.stored(site.engine, site.settings, name)
    return site.newsroom.render(request, "source_edit.html", user=user, session=session, status=status,
                                page="sources", source=found.source, feeds=found.lists, enabled=found.enabled,
                                kinds=catalog.KINDS, lists=_naming(site), **context)  # fmt: skip


@router.get("/admin/sources/edit", response_class=HTMLResponse)
def edit_form(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession,
    name: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:  # fmt: skip
    return _edit_page(site, request, user, session, name)


@router.post("/admin/sources/edit", response_model=None)
def edit(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    values: SourceForm,
    name: Name = "",
    enabled: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    changes = {**values, "enabled": enabled == "yes"}
    try:
        catalog.change(site.engine, site.settings, name, changes, Actor.of(user, client(request)))
    except (Invalid, Conflict) as exc:
        return _edit_page(
            site, request, user, session, name, 422 if isinstance(exc, Invalid) else 409, error=str(exc)
        )
    return RedirectResponse("/admin/sources?done=changed", status_code=303)


@router.post("/admin/sources/enabled", response_model=None)
def switch(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    name: Name = "",
    enabled: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    try:
        catalog.change(
            site.engine, site.settings, name, {"enabled": enabled == "yes"}, Actor.of(user, client(request))
        )
    except Conflict as exc:
        return _page(site, request, user, session, 409, error=str(exc))
    return RedirectResponse(
        f"/admin/sources?done={'enabled' if enabled == 'yes' else 'disabled'}", status_code=303
    )


@router.post("/admin/sources/read", response_class=HTMLResponse)
def read(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, name: Name = ""
) -> HTMLResponse:
    try:
        report = read_now(site.engine, site.settings, name, Actor.of(user, client(request)))
    except NotFound as exc:
        return _page(site, request, user, session, 404, error=str(exc))
    return _page(
        site, request, user, session, read={"name": name, "report": report, "error": report.failed.get(name)}
    )
