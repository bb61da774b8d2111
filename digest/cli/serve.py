"""`digest serve` (the web app and the scheduler), `digest worker`, `digest status` and `digest demo`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from digest.cli.context import links_of, settings_of, store_of
from digest.cli.output import out

if TYPE_CHECKING:
    from digest.config import Settings


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    scheduler: Annotated[
        bool, typer.Option(help="Also run the scheduler (while this process holds the lease).")
    ] = True,
) -> None:
    """Serve the web app and run the scheduler; SIGTERM stops gracefully."""
    from digest import config
    from digest.pipeline.serve import serve as run_server

    settings = settings_of(ctx)
    links = links_of(settings)  # refuse to start without the signing key
    path = str(config.config_path((ctx.obj or {}).get("config_path")).resolve())
    run_server(settings, path, links.tokens.secret_key, host, port, scheduler)


def worker(
    ctx: typer.Context,
    concurrency: Annotated[int, typer.Option(help="Tasks run at once (processes).", min=1)] = 2,
    name: Annotated[str | None, typer.Option(help="The worker's name (default: digest@<host>).")] = None,
    loglevel: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
) -> None:
    """Run a worker (execution: celery): it reads sources and sends batches that the scheduler, the
    web app and `digest send` put on the queue.

    Run as many as you like, on this machine or others. Each needs the same config.yaml and
    secrets (DIGEST_SECRET_KEY, the backend's key), and to reach the database and the broker:
    DIGEST_BROKER_URL, redis://127.0.0.1:6379/0 when unset, or amqp://... for RabbitMQ.

    SIGTERM or Ctrl-C stops it warmly: the batches under way finish, the rest stay queued for the
    others. A worker killed outright loses nothing either: its batch is sent again by another once
    its claim lapses (delivery.claim_seconds), flagged as possibly sent twice.
    """
    from digest import config
    from digest.errors import ConfigError
    from digest.pipeline.tasks import run_worker
    from digest.queue import celery_app

    settings = settings_of(ctx)
    if settings.execution != "celery":
        raise ConfigError(
            "execution is local in config.yaml: `digest serve` does the work itself; set `execution: celery` "
            "(with PostgreSQL) to hand it to workers"
        )
    links_of(settings)  # refuse to start without the signing key
    path = str(config.config_path((ctx.obj or {}).get("config_path")).resolve())
    run_worker(celery_app(settings.db_url), path, concurrency, name, loglevel)


def status(ctx: typer.Context) -> None:
    """Each list's next run, last run and last edition; failing sources; who runs the scheduler."""
    from digest.editions import service

    settings = settings_of(ctx)
    now = service.status(store_of(settings), settings)
    table = Table("list", "schedule", "next run", "last run", "last edition")
    for shown in now.lists:
        lst, run, last = shown.list, shown.last_run, shown.last_edition
        table.add_row(
            lst.id,
            f"{lst.schedule} ({lst.timezone})",
            f"{shown.next_run:%Y-%m-%d %H:%M %Z}" if shown.next_run else "-",
            escape(f"{run.slot}: {run.outcome or 'running'}") if run else "-",
            f"#{last.id} {last.status}: {escape(last.subject)}" if last else "-",
        )
    out.print(table)
    for name, error in now.failing_sources:
        out.print(f"[red]source {escape(name)} failing[/]: {escape(error)}", highlight=False)
    if now.scheduler:
        out.print(
            f"scheduler: run by {escape(now.scheduler.holder)} (lease until {now.scheduler.expires_at:%H:%M:%S} UTC)"
        )
    else:
        out.print("scheduler: not running (start it with `digest serve`)")
    if settings.execution == "celery":
        _workers(settings)


def _workers(settings: Settings) -> None:
    from digest.deliver.workers import workers_now

    now = workers_now(store_of(settings), settings)
    if now.problem:
        out.print(f"[red]workers[/]: {escape(now.problem)}", highlight=False)
    else:
        out.print(f"workers: {len(now.workers)} answering; tasks queued: {now.queued}")
    for name, stats in sorted(now.workers.items()):
        pool = stats.get("pool", {})
        done = sum((stats.get("total") or {}).values())
        out.print(f"  {escape(name)}: pid {stats.get('pid')}, {pool.get('max-concurrency', '?')} at once, {done} task(s) done")
    for claim in now.in_flight:
        out.print(
            f"  in flight: edition #{claim.edition_id}, {claim.rows} row(s) with {escape(claim.worker)} "
            f"(claim until {claim.until:%H:%M:%S} UTC)"
        )


def demo(ctx: typer.Context) -> None:
    """Run the whole path on config.yaml: import the sample subscribers, ingest, build, deliver, preview."""
    from digest.pipeline.demo import run_demo

    run_demo(settings_of(ctx), out)
