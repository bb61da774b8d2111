"""`digest serve` (the web app and the scheduler), `digest status` and `digest demo`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from digest import config
from digest.cli.context import links_of, settings_of, store_of
from digest.cli.output import out


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    scheduler: Annotated[
        bool, typer.Option(help="Also run the scheduler (while this process holds the lease).")
    ] = True,
) -> None:
    """Serve the web app and run the scheduler; SIGTERM stops gracefully."""
    from digest.pipeline.serve import serve as run_server

    settings = settings_of(ctx)
    links = links_of(settings)  # refuse to start without the signing key
    path = str(config.config_path((ctx.obj or {}).get("config_path")).resolve())
    run_server(settings, path, links.tokens.secret_key, host, port, scheduler)


def status(ctx: typer.Context) -> None:
    """Each list's next run, last run and last edition; failing sources; who runs the scheduler."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from digest.lease import holder_of
    from digest.pipeline.schedule import trigger_of
    from digest.store.editions import list_editions
    from digest.store.tables import runs, sources

    settings = settings_of(ctx)
    engine = store_of(settings)
    now = datetime.now(UTC)
    table = Table("list", "schedule", "next run", "last run", "last edition")
    with engine.connect() as conn:
        for lst in settings.lists:
            next_run = trigger_of(lst).get_next_fire_time(None, now)
            last_run = conn.execute(
                select(runs.c.slot, runs.c.outcome)
                .where(runs.c.list_id == lst.id)
                .order_by(runs.c.id.desc())
                .limit(1)
            ).first()
            editions = list_editions(conn, lst.id)
            last = editions[-1] if editions else None
            table.add_row(
                lst.id,
                f"{lst.schedule} ({lst.timezone})",
                f"{next_run:%Y-%m-%d %H:%M %Z}" if next_run else "-",
                escape(f"{last_run.slot}: {last_run.outcome or 'running'}") if last_run else "-",
                f"#{last.id} {last.status}: {escape(last.subject)}" if last else "-",
            )
        failing = conn.execute(
            select(sources.c.name, sources.c.last_error).where(sources.c.last_error.is_not(None))
        ).all()
    out.print(table)
    for name, error in failing:
        out.print(f"[red]source {escape(name)} failing[/]: {escape(error)}", highlight=False)
    lease = holder_of(engine)
    if lease and (lease[1].replace(tzinfo=UTC) if lease[1].tzinfo is None else lease[1]) > now:
        out.print(f"scheduler: run by {escape(lease[0])} (lease until {lease[1]:%H:%M:%S} UTC)")
    else:
        out.print("scheduler: not running (start it with `digest serve`)")


def demo(ctx: typer.Context) -> None:
    """Run the whole path on config.yaml: import the sample subscribers, ingest, build, deliver, preview."""
    from digest.pipeline.demo import run_demo

    run_demo(settings_of(ctx), out)
