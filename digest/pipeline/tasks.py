"""The tasks `digest worker` runs (execution: celery). Each only calls the services the local path
calls, and each is idempotent, so a task run twice (redelivered after its worker died, or enqueued
again by the dispatch) changes nothing more:

    digest.ingest_source(name, force)     read one source (ingest per source): its report
    digest.finish_slot(list, slot, now)   after a run's sources were read: build, approve, send
    digest.send_batch(edition, start)     claim one batch of an edition's rows (from row start on), send it

The scheduler (one per database, under its lease, in `digest serve`), the web app and `digest send`
enqueue them (digest.queue); the worker's own config.yaml and secrets give each task its context.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime
from typing import TYPE_CHECKING, Any

from digest.errors import BackendError

if TYPE_CHECKING:
    from celery import Celery

log = logging.getLogger("digest.pipeline.tasks")
RETRY = {"retry_backoff": 5, "retry_backoff_max": 600, "retry_jitter": True, "max_retries": 8}


def worker_name() -> str:
    """This process, as a claim names it: host:pid (a prefork worker's child has a pid of its own)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def register(app: Celery, config_path: str) -> None:
    """Define the tasks on the worker's app, with the context of its config.yaml."""
    from digest.pipeline.schedule import job_context

    @app.task(name="digest.ingest_source", autoretry_for=(OSError,), **RETRY)  # its result ends a chord
    def ingest_source(name: str, force: bool = False) -> dict[str, object]:
        from digest.ingest.run import ingest

        ctx = job_context(config_path)
        return ingest(ctx.engine, ctx.settings, [name], force=force).to_json()  # a failure is in the report

    @app.task(name="digest.finish_slot", autoretry_for=(OSError,), ignore_result=True, **RETRY)
    def finish_slot(list_id: str, slot: str, now: str) -> str:
        from digest.pipeline.run import run_slot

        ctx = job_context(config_path)
        result = run_slot(
            ctx.engine, ctx.settings, list_id, slot, ctx.backend, ctx.links, datetime.fromisoformat(now),
            ctx.notices, ingest_first=False,
        )  # fmt: skip
        log.info("list %s slot %s: %s", list_id, slot, result.outcome)
        return result.outcome

    @app.task(name="digest.send_batch", autoretry_for=(BackendError, OSError), ignore_result=True, **RETRY)
    def send_batch(edition_id: int, start: int = 0) -> int:
        from digest.deliver.workers import send_batch as send

        ctx = job_context(config_path)
        return send(ctx.engine, ctx.settings, edition_id, start, ctx.backend, ctx.links, worker_name())


def run_worker(app: Celery, config_path: str, concurrency: int, name: str | None, loglevel: str) -> None:
    """Run a Celery worker on the digest queue in this process until it is told to stop (SIGTERM or
    Ctrl-C: a warm shutdown, the tasks under way finish first)."""
    from celery.signals import worker_process_init

    from digest.pipeline.schedule import job_context

    register(app, config_path)
    # each pool process makes its context (config, engine, backend) as it starts, not in its first task
    worker_process_init.connect(lambda **_: job_context(config_path), weak=False)
    argv: list[Any] = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "--without-gossip"]
    argv += ["--without-mingle", f"--hostname={name or 'digest@' + socket.gethostname()}"]
    app.worker_main(argv)
