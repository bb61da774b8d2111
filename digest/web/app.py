"""The web app, wired: middleware, error pages and the routes, one module per resource in
digest.web.routes. Every page that changes something does so on POST only, so mail scanners that
fetch links change nothing; links carry signed, purpose-scoped tokens."""

from __future__ import annotations

from fastapi import FastAPI

from digest.web import errors
from digest.web.deps import Site
from digest.web.middleware import BodyLimit, HeadAsGet, ProtectiveHeaders
from digest.web.routes import archive, confirm, health, preferences, review, subscribe, unsubscribe, webhooks

ROUTERS = (subscribe, confirm, unsubscribe, preferences, archive, review, webhooks, health)


def create_app(site: Site) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.site = site
    app.add_middleware(BodyLimit, larger={"/webhooks/": webhooks.MAX_BODY})  # the last added runs first
    app.add_middleware(ProtectiveHeaders)
    app.add_middleware(HeadAsGet)
    errors.install(app, site.pages)
    for module in ROUTERS:
        app.include_router(module.router)
    return app
