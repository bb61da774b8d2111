"""`digest serve`: the HTTP app and the scheduler in one process, stopped gracefully on SIGTERM."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from digest.config import Settings
from digest.schedule import SchedulerService
from digest.store.db import open_store


def build_app(settings: Settings, config_path: str, scheduler: bool = True) -> FastAPI:
    engine = open_store(settings.db_url)
    lease = settings.scheduler.lease_seconds
    service = SchedulerService(config_path, engine, settings.lists, ttl=lease) if scheduler else None

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if service:
            service.start()
        yield
        if service:
            service.stop()  # the running job finishes; the lease is handed back

    app = FastAPI(title="digest", lifespan=lifespan)
    app.state.settings, app.state.engine, app.state.scheduler = settings, engine, service

    @app.get("/healthz")
    def healthz() -> dict:
        return {"ok": True, "scheduler": bool(service and service.active)}

    return app


def serve(settings: Settings, config_path: str, host: str, port: int, scheduler: bool = True) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    uvicorn.run(build_app(settings, config_path, scheduler), host=host, port=port, log_level="info")
