"""`digest serve`: the web app and the scheduler in one process, stopped gracefully on SIGTERM."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from digest.config import Settings
from digest.deliver import events
from digest.deliver.backends import utf8_refusal
from digest.deliver.notices import notice_sender
from digest.lists import sync_lists
from digest.pipeline.schedule import SchedulerService
from digest.render.notices import notices_for
from digest.store.db import open_store
from digest.web.app import RedactTokens, WebConfig, create_app
from digest.web.routes import archive


def build_app(settings: Settings, config_path: str, secret_key: str, scheduler: bool = True) -> FastAPI:
    """The public pages, the web archive and, while this process holds the lease, the scheduler."""
    engine = open_store(settings.db_url)
    sync_lists(engine, settings)
    ttl = settings.scheduler.lease_seconds
    service = SchedulerService(config_path, engine, settings.lists, ttl=ttl) if scheduler else None
    app = create_app(
        engine,
        WebConfig(
            base_url=settings.base_url,
            secret_key=secret_key,
            send_notice=notice_sender(settings, engine),
            notice_mail=notices_for(settings),
            utf8_refusal=utf8_refusal(settings),
        ),
    )
    app.include_router(archive.router)
    app.include_router(events.router)  # POST /webhooks/sendgrid, signed
    app.state.settings, app.state.engine, app.state.secret_key = settings, engine, secret_key

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if service:
            service.start()
        yield
        if service:
            service.stop()  # the running job finishes; the lease is handed back

    app.router.lifespan_context = lifespan

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, bool]:
        return {"ok": True, "scheduler": bool(service and service.active)}

    return app


def serve(
    settings: Settings, config_path: str, secret_key: str, host: str, port: int, scheduler: bool
) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("uvicorn.access").addFilter(RedactTokens())  # tokens in URLs are keys
    app = build_app(settings, config_path, secret_key, scheduler)
    uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="info")
