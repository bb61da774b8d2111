"""`digest serve` (the web app and the scheduler), `digest status` and `digest demo`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

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
    from digest import config
    from digest.pipeline.serve import serve as run_server

    settings = settings_of(ctx)
    links = links_of(settings)  # refuse to start without the signing key
    path = str(config.config_path((ctx.obj or {}).get("config_path")).resolve())
    run_server(settings, path, links.tokens.secret_key, host, port, scheduler)


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


def demo(ctx: typer.Context) -> None:
    """Run the whole path on config.yaml: import the sample subscribers, ingest, build, deliver, preview."""
    from digest.pipeline.demo import run_demo

    run_demo(settings_of(ctx), out)
