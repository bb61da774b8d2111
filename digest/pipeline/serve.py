"""`digest serve`: the web app and the scheduler in one process, stopped gracefully on SIGTERM."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from digest.config import Settings
from digest.pipeline.instance import open_instance
from digest.pipeline.schedule import SchedulerService
from digest.web.app import create_app
from digest.web.deps import Site
from digest.web.middleware import RedactTokens


def build_app(settings: Settings, config_path: str, secret_key: str, scheduler: bool = True) -> FastAPI:
    """The web app and, while this process holds the lease, the scheduler."""
    engine = open_instance(settings)
    ttl = settings.scheduler.lease_seconds
    service = SchedulerService(config_path, engine, settings.lists, ttl=ttl) if scheduler else None
    site = Site(engine, settings, secret_key, scheduler_active=lambda: bool(service and service.active))
    app = create_app(site)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if service:
            service.start()
        site.jobs.start()  # jobs queued, or left by a process that died, run now
        yield
        site.jobs.stop()  # the running job finishes, or is run again by the next start
        site.readers.stop()  # the clicks and opens still queued are recorded
        if service:
            service.stop()  # the running job finishes; the lease is handed back

    app.router.lifespan_context = lifespan
    return app


def serve(
    settings: Settings, config_path: str, secret_key: str, host: str, port: int, scheduler: bool
) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("uvicorn.access").addFilter(RedactTokens())  # tokens in URLs are keys
    app = build_app(settings, config_path, secret_key, scheduler)
    uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="info")
