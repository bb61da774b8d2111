"""The `digest` command: every command calls the same services the scheduler and the web app call."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from digest import config
from digest.errors import DigestError

app = typer.Typer(no_args_is_help=True, add_completion=False, help="digest: newsletter digests with ledes and quotes.")
editions_app = typer.Typer(no_args_is_help=True, help="Build, list and inspect editions.")
subscribers_app = typer.Typer(no_args_is_help=True, help="Manage subscribers.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
app.add_typer(editions_app, name="editions")
app.add_typer(subscribers_app, name="subscribers")
app.add_typer(db_app, name="db")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def _global(
    ctx: typer.Context,
    config_path: Annotated[
        Path | None, typer.Option("--config", "-c", help="config.yaml to use (default: $DIGEST_CONFIG or ./config.yaml).")
    ] = None,
) -> None:
    ctx.obj = {"config_path": config_path}


def settings_of(ctx: typer.Context) -> config.Settings:
    return config.load((ctx.obj or {}).get("config_path"))


def store_of(settings: config.Settings):
    from digest.store.db import open_store

    return open_store(settings.db_url)


def links_of(settings: config.Settings):
    from digest.links import Links
    from subscribers.tokens import Tokens

    key = config.secret(config.SECRET_KEY_ENV)
    if not key:
        raise DigestError(
            f"{config.SECRET_KEY_ENV} is not set: links in mail are signed with it. "
            f"Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return Links(settings.base_url, Tokens(key))


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the database migrations (they also run on every start)."""
    from digest.store.db import make_engine, upgrade

    settings = settings_of(ctx)
    applied = upgrade(make_engine(settings.db_url))
    out.print("schema upgraded to the newest revision" if applied else "schema already up to date")


@app.command()
def ingest(
    ctx: typer.Context,
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="Only this source (repeatable).")] = None,
) -> None:
    """Read the configured sources and store new and changed articles."""
    from digest.ingest.run import ingest as run_ingest

    settings = settings_of(ctx)
    for name in source or []:
        settings.get_source(name)
    engine = store_of(settings)
    with out.status("ingesting") as status:
        report = run_ingest(engine, settings, source, progress=lambda name: status.update(f"ingesting {name}"))
    out.print(
        f"new {report.new}, updated {report.updated}, unchanged {report.unchanged}, "
        f"skipped items {len(report.skipped)}, failed sources {len(report.failed)}"
    )
    for line in report.skipped:
        err.print(f"[yellow]skipped[/] {line}", highlight=False)
    for name, reason in report.failed.items():
        err.print(f"[red]failed[/] source {name}: {reason}", highlight=False)
    tried = len(source) if source else len(settings.sources)
    if tried and len(report.failed) == tried:
        raise typer.Exit(1)


@app.command()
def trim(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .md, .html) or folders of them.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per article, one per line.")] = False,
    lede_words: Annotated[int, typer.Option(help="Word budget of the lede.")] = 60,
    max_quotes: Annotated[int, typer.Option(help="Key quotes per article.")] = 2,
    all_quotes: Annotated[bool, typer.Option(help="Every direct quotation in order, not the key ones.")] = False,
    language: Annotated[str | None, typer.Option(help="Force the language (en, fr, de, es, it).")] = None,
) -> None:
    """Trim articles into a lede and key quotes."""
    from digest.trim.command import run

    code = run(
        paths, as_json=as_json, lede_words=lede_words, max_quotes=max_quotes, all_quotes=all_quotes, language=language
    )
    raise typer.Exit(code)


@editions_app.command("build")
def editions_build(ctx: typer.Context, list_id: Annotated[str, typer.Argument(help="The list's id.")]) -> None:
    """Build the list's next edition from articles not yet in one of its editions."""
    from digest.editions.build import build_edition
    from digest.lists import sync_lists

    settings = settings_of(ctx)
    settings.get_list(list_id)
    engine = store_of(settings)
    sync_lists(engine, settings)
    result = build_edition(engine, settings, list_id)
    out.print(result.reason)


@editions_app.command("list")
def editions_list(ctx: typer.Context, list_id: Annotated[str | None, typer.Option("--list")] = None) -> None:
    """List editions with their status and deliveries."""
    from digest.store.editions import delivery_counts, list_editions

    engine = store_of(settings_of(ctx))
    table = Table("id", "list", "status", "subject", "created", "deliveries")
    with engine.connect() as conn:
        for row in list_editions(conn, list_id):
            counts = delivery_counts(conn, row.id)
            table.add_row(
                str(row.id),
                row.list_id,
                row.status,
                row.subject,
                f"{row.created_at:%Y-%m-%d %H:%M}",
                ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-",
            )
    out.print(table)


@editions_app.command("show")
def editions_show(ctx: typer.Context, edition_id: int) -> None:
    """Show an edition's items, ledes and quotes."""
    from digest.store.editions import delivery_counts, load_edition

    engine = store_of(settings_of(ctx))
    with engine.connect() as conn:
        edition = load_edition(conn, edition_id)
        if edition is None:
            raise DigestError(f"no edition #{edition_id}")
        counts = delivery_counts(conn, edition_id)
    out.print(f"[bold]#{edition.id}[/] {edition.subject}  ({edition.list_id}, {edition.status})", highlight=False)
    for i, item in enumerate(edition.items, 1):
        out.print(f"\n{i}. [bold]{item.title}[/]  [dim]{item.source}[/]\n   {item.lede}", highlight=False)
        for q in item.quotes:
            out.print(f"   “{q.text}” — {q.speaker or 'unattributed'}", highlight=False)
    if counts:
        from digest.deliver.control import send_report_lines

        out.print("\n" + "\n".join(send_report_lines(engine, edition_id)), highlight=False, markup=False)


@app.command()
def preview(
    ctx: typer.Context,
    edition_id: int,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the HTML here.")] = None,
) -> None:
    """Render an edition to an HTML file as a subscriber would see it."""
    from digest.preview import write_preview

    settings = settings_of(ctx)
    path, size = write_preview(store_of(settings), settings, edition_id, out_file)
    out.print(f"preview of edition #{edition_id}: {path} ({size / 1024:.1f} KB of HTML)")


@app.command()
def send(ctx: typer.Context, edition_id: int) -> None:
    """Send an edition to its list's confirmed subscribers; a rerun resumes where it stopped."""
    from rich.progress import BarColumn, TextColumn

    from digest.deliver.backends import make_backend
    from digest.deliver.control import progress_text
    from digest.deliver.send import send_edition

    settings = settings_of(ctx)
    engine = store_of(settings)
    backend, links = make_backend(settings), links_of(settings)
    columns = (TextColumn(f"sending #{edition_id}"), BarColumn(), TextColumn("{task.fields[line]}"))
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("send", total=None, line="starting")

        def show(state) -> None:
            bar.update(task, total=state.total, completed=state.done, line=progress_text(state.counts, state.rate))

        report = send_edition(engine, settings, edition_id, backend, links, show)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items())) or "no recipients"
    out.print(
        f"edition #{edition_id}: {report.status} ({report.state}); sent now {report.sent_now}"
        f"{f' at {report.rate:.0f}/s' if report.rate else ''}; rows: {counts}"
    )
    for note in report.notes:
        err.print(f"[yellow]note[/] {note}", highlight=False)
    if report.state == "paused":
        out.print(f"paused: `digest editions resume {edition_id}` goes on")
    elif report.next_retry:
        out.print(f"deferred rows are due from {report.next_retry:%Y-%m-%d %H:%M:%S} UTC: run `digest send {edition_id}` again")
    if report.counts.get("failed") or report.counts.get("deferred"):
        raise typer.Exit(1)


@editions_app.command("pause")
def editions_pause(ctx: typer.Context, edition_id: int) -> None:
    """Pause a send after the batch in flight; nothing is lost."""
    from digest.deliver.control import pause

    pause(store_of(settings_of(ctx)), edition_id)
    out.print(f"edition #{edition_id}: paused")


@editions_app.command("resume")
def editions_resume(ctx: typer.Context, edition_id: int) -> None:
    """Resume a paused send and carry it on from this process."""
    from digest.deliver.control import resume

    resume(store_of(settings_of(ctx)), edition_id)
    out.print(f"edition #{edition_id}: resumed")
    send(ctx, edition_id)


@editions_app.command("cancel")
def editions_cancel(ctx: typer.Context, edition_id: int) -> None:
    """Cancel a send: messages not yet handed to the provider will not go out."""
    from digest.deliver.control import cancel

    n = cancel(store_of(settings_of(ctx)), edition_id)
    out.print(f"edition #{edition_id}: canceled; {n} message(s) will not be sent")


@subscribers_app.command("import")
def subscribers_import(
    ctx: typer.Context,
    csv_file: Annotated[Path, typer.Argument(help="CSV with an email column; name, language, timezone, status.")],
    list_id: Annotated[str, typer.Option("--list", help="The list to add them to.")],
    consent: Annotated[
        str | None, typer.Option(help="Where their consent was given; needed to import confirmed members.")
    ] = None,
) -> None:
    """Import subscribers from a CSV file into a list."""
    from digest.lists import sync_lists
    from subscribers.importer import import_csv

    settings = settings_of(ctx)
    settings.get_list(list_id)
    engine = store_of(settings)
    sync_lists(engine, settings)
    if not csv_file.is_file():
        raise DigestError(f"{csv_file}: no such file")
    with engine.begin() as conn:
        report = import_csv(conn, csv_file, list_id, consent=consent)
    out.print(
        f"{csv_file}: imported {report.imported}, merged {report.merged}, "
        f"suppressed {report.suppressed}, rejected {len(report.rejected)}"
    )
    for row, reason in report.rejected:
        err.print(f"  {csv_file}, row {row}: {reason}", highlight=False)


@app.command()
def demo(ctx: typer.Context) -> None:
    """Run the whole path on config.yaml: import the sample subscribers, ingest, build, deliver, preview."""
    from digest.demo import run_demo

    run_demo(settings_of(ctx), out)


def main() -> None:
    try:
        app()
    except DigestError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        sys.exit(1)
