"""`digest send`: deliver an edition with a progress bar; a rerun resumes from the rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.progress import Progress

from digest.cli.context import links_of, settings_of, store_of
from digest.cli.output import err, out

if TYPE_CHECKING:
    from digest.deliver.batches import Progress as SendProgress


def send(ctx: typer.Context, edition_id: int) -> None:
    """Send an edition to its list's confirmed subscribers; a rerun resumes where it stopped."""
    from rich.progress import BarColumn, TextColumn

    from digest.deliver.control import progress_text
    from digest.domain import DeliveryStatus, SendState
    from digest.editions import service

    settings = settings_of(ctx)
    engine, links = store_of(settings), links_of(settings)
    columns = (TextColumn(f"sending #{edition_id}"), BarColumn(), TextColumn("{task.fields[line]}"))
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("send", total=None, line="starting")

        def show(state: SendProgress) -> None:
            bar.update(
                task, total=state.total, completed=state.done, line=progress_text(state.counts, state.rate)
            )

        report = service.send(engine, settings, edition_id, links, show)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items())) or "no recipients"
    out.print(
        f"edition #{edition_id}: {report.status} ({report.state}); sent now {report.sent_now}"
        f"{f' at {report.rate:.0f}/s' if report.rate else ''}; rows: {counts}"
    )
    for note in report.notes:
        err.print(f"[yellow]note[/] {escape(note)}", highlight=False)
    if report.state == SendState.PAUSED:
        out.print(f"paused: `digest editions resume {edition_id}` goes on")
    elif report.next_retry:
        out.print(
            f"deferred rows are due from {report.next_retry:%Y-%m-%d %H:%M:%S} UTC: run `digest send {edition_id}` again"
        )
    if report.counts.get(DeliveryStatus.FAILED) or report.counts.get(DeliveryStatus.DEFERRED):
        raise typer.Exit(1)
