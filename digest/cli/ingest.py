"""`digest ingest` and `digest sources`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from digest.cli.context import settings_of, store_of
from digest.cli.output import err, out


def ingest(
    ctx: typer.Context,
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Only this source (repeatable).")
    ] = None,
) -> None:
    """Read the configured sources and store new and changed articles."""
    from digest.ingest.run import ingest as run_here
    from digest.ingest.run import ingest_on_workers

    settings = settings_of(ctx)
    for name in source or []:
        settings.get_source(name)
    engine = store_of(settings)
    chosen = len(source) if source else len(settings.sources)
    run_ingest = ingest_on_workers if settings.execution == "celery" else run_here
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("ingesting", total=chosen)
        report = run_ingest(
            engine,
            settings,
            source,
            progress=lambda name: bar.update(task, advance=1, description=f"done {escape(name)}"),
        )
    for line in report.skipped:
        err.print(f"[yellow]skipped[/] {escape(line)}", highlight=False)
    for name, until in report.deferred.items():
        err.print(f"[yellow]backing off[/] source {escape(name)}: it keeps failing; next try after {until:%Y-%m-%d %H:%M} UTC "
                  f"(or name it with --source)", highlight=False)  # fmt: skip
    tried = chosen - len(report.deferred)
    out.print(
        f"{tried} source(s) read: new {report.new}, updated {report.updated}, unchanged {report.unchanged}, "
        f"duplicates {report.duplicates}, linked to another source's story {report.linked}, "
        f"not modified {len(report.not_modified)}, failed {len(report.failed)}",
        highlight=False,
    )
    if report.failed:
        out.print("failed sources:")
        for name, reason in report.failed.items():
            out.print(f"  [red]{escape(name)}[/]: {escape(reason)}", highlight=False)
    if tried and len(report.failed) == tried:
        raise typer.Exit(1)


def sources_list(ctx: typer.Context) -> None:
    """List every source with its last success, last error and item counts."""
    from digest.ingest.health import sources_health

    settings = settings_of(ctx)
    table = Table("source", "kind", "last success", "last error", "failures", "items (last read)", "stored")
    for src in sources_health(store_of(settings), settings):
        if not src.recorded:
            table.add_row(escape(src.name), src.kind, "never read", "", "0", "-", "0")
            continue
        error, success = src.last_error or "", "no longer configured"
        kind = (
            src.kind if src.definition is None else f"{src.kind} (added{'' if src.enabled else ', disabled'})"
        )
        if src.configured or src.definition is not None:
            success = f"{src.last_success_at:%Y-%m-%d %H:%M}" if src.last_success_at else "never"
            if src.next_attempt_at:
                error += f" (next try after {src.next_attempt_at:%Y-%m-%d %H:%M})"
        table.add_row(escape(src.name), kind, success, escape(error), str(src.failures), str(src.item_count),
                      str(src.articles))  # fmt: skip
    out.print(table)
