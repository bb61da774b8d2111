"""The web app, wired: middleware, error pages and the routes, one module per resource in
digest.web.routes. Every page that changes something does so on POST only, so mail scanners that
fetch links change nothing; links carry signed, purpose-scoped tokens."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute, Mount

from digest.audience.imports import MAX_UPLOAD
from digest.web import errors
from digest.web.auth import authorize, rule_of
from digest.web.deps import Site
from digest.web.middleware import BodyLimit, HeadAsGet, ProtectiveHeaders
from digest.web.policy import API, IMPORTS
from digest.web.routes import (
    account,
    api,
    archive,
    board,
    confirm,
    console,
    health,
    history,
    imports,
    interest,
    jobs,
    lists,
    preferences,
    readers,
    report,
    review,
    settings,
    signin,
    sources,
    subscribe,
    suppressions,
    theme,
    today,
    tokens,
    unsubscribe,
    users,
    webhooks,
)

ROUTERS = (
    subscribe,
    confirm,
    unsubscribe,
    preferences,
    archive,
    readers,
    review,
    webhooks,
    health,
    signin,
    account,
    today,
    history,
    interest,
    theme,
    board,
    report,
    console,
    lists,
    suppressions,
    sources,
    imports,
    api,
    users,
    settings,
    jobs,
    tokens,
)
STATIC = Path(__file__).with_name("static")


def create_app(site: Site) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, dependencies=[Depends(authorize)])
    app.state.site = site
    larger = {"/webhooks/": webhooks.MAX_BODY, IMPORTS: MAX_UPLOAD, API + "/imports": MAX_UPLOAD}  # uploads
    app.add_middleware(BodyLimit, larger=larger)  # the last added runs first
    app.add_middleware(ProtectiveHeaders)
    app.add_middleware(HeadAsGet)
    errors.install(app, site.pages)
    for module in ROUTERS:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    unruled = [f"{method} {path}" for method, path in routes(app) if rule_of(method, path) is None]
    if unruled:  # every route answers to digest.web.policy's table, or the app does not start
        raise RuntimeError(
            f"routes without an authorization rule in digest/web/policy.py: {', '.join(unruled)}"
        )
    return app


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route and mount of the app, HEAD aside (it is answered as GET)."""
    return sorted(set(_walk(app.routes, "")))


def _walk(found: Sequence[BaseRoute], prefix: str) -> Iterator[tuple[str, str]]:
    for route in found:
        if isinstance(route, APIRoute):
            yield from ((method, prefix + route.path) for method in route.methods or () if method != "HEAD")
        elif isinstance(route, Mount):
            yield "GET", prefix + route.path
        elif (included := getattr(route, "original_router", None)) is not None:
            # FastAPI (0.16x) keeps an included router as one entry that holds the original
            context = getattr(route, "include_context", None)
            yield from _walk(included.routes, prefix + (getattr(context, "prefix", "") or ""))
