"""The `digest` command: every command calls the same services the scheduler and the web app call."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from digest import config
from digest.commands.subscribers import lists_app, subscribers_app
from digest.domain import Edition
from digest.errors import DigestError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from digest.deliver.send import Progress as SendProgress
    from digest.links import Links

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="digest: newsletter digests with ledes and quotes."
)
editions_app = typer.Typer(no_args_is_help=True, help="Build, curate, approve and inspect editions.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
app.add_typer(editions_app, name="editions")
app.add_typer(lists_app, name="lists")
app.add_typer(subscribers_app, name="subscribers")
app.add_typer(db_app, name="db")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def _global(
    ctx: typer.Context,
    config_path: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="config.yaml to use (default: $DIGEST_CONFIG or ./config.yaml)."),
    ] = None,
) -> None:
    ctx.obj = {"config_path": config_path}


def settings_of(ctx: typer.Context) -> config.Settings:
    return config.load((ctx.obj or {}).get("config_path"))


def store_of(settings: config.Settings) -> Engine:
    from digest.store.db import open_store

    return open_store(settings.db_url)


def links_of(settings: config.Settings) -> Links:
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
    from digest.store.db import make_engine, reachable, upgrade

    settings = settings_of(ctx)
    applied = upgrade(reachable(make_engine(settings.db_url)))
    out.print("schema upgraded to the newest revision" if applied else "schema already up to date")


@app.command()
def ingest(
    ctx: typer.Context,
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Only this source (repeatable).")
    ] = None,
) -> None:
    """Read the configured sources and store new and changed articles."""
    from digest.ingest.run import ingest as run_ingest

    settings = settings_of(ctx)
    for name in source or []:
        settings.get_source(name)
    engine = store_of(settings)
    chosen = len(source) if source else len(settings.sources)
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("ingesting", total=chosen)
        report = run_ingest(
            engine, settings, source, progress=lambda name: bar.update(task, advance=1, description=f"done {escape(name)}")
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


@app.command("sources")
def sources_list(ctx: typer.Context) -> None:
    """List every source with its last success, last error and item counts."""
    from digest.store.articles import source_overview

    settings = settings_of(ctx)
    with store_of(settings).connect() as conn:
        rows = {row.name: row for row in source_overview(conn)}
    table = Table("source", "kind", "last success", "last error", "failures", "items (last read)", "stored")
    for src in settings.sources:
        row = rows.pop(src.name, None)
        if row is None:
            table.add_row(escape(src.name), src.kind, "never read", "", "0", "-", "0")
            continue
        error = row.last_error or ""
        if row.next_attempt_at:
            error += f" (next try after {row.next_attempt_at:%Y-%m-%d %H:%M})"
        success = f"{row.last_success_at:%Y-%m-%d %H:%M}" if row.last_success_at else "never"
        table.add_row(escape(src.name), src.kind, success, escape(error), str(row.failures), str(row.item_count),
                      str(row.articles))  # fmt: skip
    for name, row in rows.items():
        table.add_row(escape(name), row.kind, "no longer configured", escape(row.last_error or ""), str(row.failures),
                      str(row.item_count), str(row.articles))  # fmt: skip
    out.print(table)


@app.command()
def trim(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .md, .html) or folders of them.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per article, one per line.")
    ] = False,
    lede_words: Annotated[int, typer.Option(help="Word budget of the lede.")] = 60,
    max_quotes: Annotated[int, typer.Option(help="Key quotes per article.")] = 2,
    all_quotes: Annotated[
        bool, typer.Option(help="Every direct quotation in order, not the key ones.")
    ] = False,
    language: Annotated[str | None, typer.Option(help="Force the language (en, fr, de, es, it).")] = None,
) -> None:
    """Trim articles into a lede and key quotes."""
    from digest.trim.command import run

    code = run(
        paths,
        as_json=as_json,
        lede_words=lede_words,
        max_quotes=max_quotes,
        all_quotes=all_quotes,
        language=language,
    )
    raise typer.Exit(code)


@editions_app.command("build")
def editions_build(
    ctx: typer.Context, list_id: Annotated[str, typer.Argument(help="The list's id.")]
) -> None:
    """Build the list's next edition, or rebuild its draft keeping the editors' changes."""
    from digest.editions import service
    from digest.lists import sync_lists

    settings = settings_of(ctx)
    settings.get_list(list_id)
    engine = store_of(settings)
    sync_lists(engine, settings)
    out.print(service.build(engine, settings, list_id, actor=actor()).reason, markup=False, highlight=False)


def actor() -> str:
    """Who is acting, for the edition's change log: $DIGEST_EDITOR, else the login name."""
    import getpass

    return os.environ.get("DIGEST_EDITOR") or getpass.getuser()


def _change(ctx: typer.Context, edition_id: int, *edits: tuple[str, dict[str, Any]]) -> None:
    """Apply the edits in one go (all or none) and show the edition's items."""
    from digest.editions import service

    settings = settings_of(ctx)
    edition = service.apply(store_of(settings), settings, edition_id, actor(), list(edits))
    done = ", ".join(op for op, _ in edits)
    out.print(f"edition #{edition.id} ({edition.status}): {done} recorded; {len(edition.items)} item(s)")
    for i, item in enumerate(edition.items, 1):
        out.print(f"  {i}. [dim]#{item.article_id}[/] {escape(item.title)}", highlight=False)


ArticleId = Annotated[int, typer.Argument(help="The article's id, as `editions show` prints it.")]


@editions_app.command("pin")
def editions_pin(ctx: typer.Context, edition_id: int, article_id: ArticleId) -> None:
    """Keep an article in the edition, ahead of the automatic picks."""
    _change(ctx, edition_id, ("pin", {"article_id": article_id}))


@editions_app.command("exclude")
def editions_exclude(ctx: typer.Context, edition_id: int, article_id: ArticleId) -> None:
    """Leave an article out of the edition, also when it is rebuilt."""
    _change(ctx, edition_id, ("exclude", {"article_id": article_id}))


@editions_app.command("move")
def editions_move(ctx: typer.Context, edition_id: int, article_id: ArticleId, position: int) -> None:
    """Move an item to a position (1 is the top story)."""
    _change(ctx, edition_id, ("move", {"article_id": article_id, "position": position}))


@editions_app.command("add")
def editions_add(ctx: typer.Context, edition_id: int, url: str) -> None:
    """Add an article by its URL (it must have been ingested)."""
    _change(ctx, edition_id, ("add", {"url": url}))


@editions_app.command("edit")
def editions_edit(
    ctx: typer.Context,
    edition_id: int,
    subject: Annotated[str | None, typer.Option(help="A new subject line.")] = None,
    intro: Annotated[str | None, typer.Option(help="The editor's intro ('' removes it).")] = None,
    lede: Annotated[
        tuple[int, str] | None, typer.Option(help="ARTICLE TEXT: replace an item's lede.")
    ] = None,
    quote: Annotated[
        tuple[int, str] | None,
        typer.Option(help="ARTICLE N|none: show the article's Nth quotation (from 0), or none."),
    ] = None,
) -> None:
    """Edit the subject, the intro, an item's lede or its quote: all that is given, or nothing if one is wrong."""
    edits: list[tuple[str, dict[str, Any]]] = []
    if subject is not None:
        edits.append(("subject", {"text": subject}))
    if intro is not None:
        edits.append(("intro", {"text": intro}))
    if lede is not None:
        edits.append(("lede", {"article_id": lede[0], "text": lede[1]}))
    if quote is not None:
        if quote[1] != "none" and not quote[1].isdigit():
            raise DigestError(f"--quote {quote[0]} {quote[1]}: give a quotation number or 'none'")
        index = None if quote[1] == "none" else int(quote[1])
        edits.append(("quote", {"article_id": quote[0], "index": index}))
    if not edits:
        raise DigestError("nothing to edit: give --subject, --intro, --lede or --quote")
    _change(ctx, edition_id, *edits)


def _transition(ctx: typer.Context, edition_id: int, target: str, **values: object) -> None:
    from digest.editions import service

    edition = service.transition(store_of(settings_of(ctx)), edition_id, target, actor(), **values)
    out.print(f"edition #{edition.id} is {edition.status}")


@editions_app.command("approve")
def editions_approve(ctx: typer.Context, edition_id: int) -> None:
    """Approve an edition: `digest serve` sends it, or send it now with `digest send`."""
    _transition(ctx, edition_id, "approved")


@editions_app.command("schedule")
def editions_schedule(
    ctx: typer.Context,
    edition_id: int,
    at: Annotated[
        str, typer.Option(help="When to send: ISO 8601, e.g. 2026-12-01T07:00+01:00 (no offset: UTC).")
    ],
) -> None:
    """Schedule an approved edition for a given time; `digest serve` sends it then."""
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise DigestError(f"--at {at!r}: not an ISO 8601 date and time") from None
    _transition(ctx, edition_id, "scheduled", scheduled_for=when if when.tzinfo else when.replace(tzinfo=UTC))


@editions_app.command("cancel")
def editions_cancel(ctx: typer.Context, edition_id: int) -> None:
    """Cancel an edition; a send under way stops after the batch in flight. Its articles go to the next one."""
    from digest.editions import service

    edition, unsent = service.cancel(store_of(settings_of(ctx)), edition_id, actor())
    note = f"; {unsent} message(s) will not be sent" if unsent else ""
    out.print(f"edition #{edition.id} is {edition.status}{note}")


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
                escape(row.list_id),
                row.status,
                escape(row.subject),
                f"{row.created_at:%Y-%m-%d %H:%M}",
                ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-",
            )
    out.print(table)


@editions_app.command("show")
def editions_show(ctx: typer.Context, edition_id: int) -> None:
    """Show an edition's intro, items, ledes and quotes, its review link, deliveries and change log."""
    from digest.store.editions import changes, delivery_counts, load_edition

    settings = settings_of(ctx)
    engine = store_of(settings)
    with engine.connect() as conn:
        edition = load_edition(conn, edition_id)
        if edition is None:
            raise DigestError(f"no edition #{edition_id}")
        counts = delivery_counts(conn, edition_id)
        log = changes(conn, edition_id)
    out.print(
        f"[bold]#{edition.id}[/] {escape(edition.subject)}  ({escape(edition.list_id)}, {edition.status})",
        highlight=False,
    )
    if edition.intro:
        out.print(f"\nintro: {escape(edition.intro)}", highlight=False)
    review = _review_link(settings, edition)
    if review:
        out.print(f"review link: {escape(review)}", highlight=False)
    for i, item in enumerate(edition.items, 1):
        out.print(
            f"\n{i}. [bold]{escape(item.title)}[/]  [dim]article #{item.article_id}, {escape(item.source)}[/]"
            f"\n   {escape(item.lede)}",
            highlight=False,
        )
        for q in item.quotes:
            out.print(f"   “{escape(q.text)}” — {escape(q.speaker or 'unattributed')}", highlight=False)
    if counts:
        from digest.deliver.control import send_report_lines

        out.print("\n" + "\n".join(send_report_lines(engine, edition_id)), highlight=False, markup=False)
    out.print("\nchanges:")
    for row in log:
        args = ", ".join(f"{k}={v}" for k, v in row.args.items())
        out.print(f"  {row.at:%Y-%m-%d %H:%M} {escape(row.actor)}: {row.op} {escape(args)}", highlight=False)


def _review_link(settings: config.Settings, edition: Edition) -> str | None:
    """The editors' preview link of a reviewed list's edition (it is signed, so it needs the key)."""
    try:
        reviewed = settings.get_list(edition.list_id).review is not None
    except config.ConfigError:  # a list no longer in config.yaml
        return None
    if not reviewed:
        return None
    if not config.secret(config.SECRET_KEY_ENV):
        return f"needs {config.SECRET_KEY_ENV} (the link is signed with it)"
    assert edition.id is not None  # a stored edition
    return links_of(settings).review(edition.id, edition.list_id)


@app.command()
def preview(
    ctx: typer.Context,
    edition_id: int,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the HTML here.")] = None,
    width: Annotated[
        int | None,
        typer.Option("--width", help="Show the mail in a frame this wide: 375 (phone) or 600 (desktop)."),
    ] = None,
) -> None:
    """Render an edition to an HTML file as a subscriber would see it, and show its size."""
    from digest.preview import describe, write_preview

    settings = settings_of(ctx)
    shown = write_preview(store_of(settings), settings, edition_id, out_file, width=width)
    out.print(f"preview of edition #{edition_id}: {escape(str(shown.path))} ({describe(shown.size, shown.held_back)})")


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

        def show(state: SendProgress) -> None:
            bar.update(task, total=state.total, completed=state.done, line=progress_text(state.counts, state.rate))

        report = send_edition(engine, settings, edition_id, backend, links, show)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items())) or "no recipients"
    out.print(
        f"edition #{edition_id}: {report.status} ({report.state}); sent now {report.sent_now}"
        f"{f' at {report.rate:.0f}/s' if report.rate else ''}; rows: {counts}"
    )
    for note in report.notes:
        err.print(f"[yellow]note[/] {escape(note)}", highlight=False)
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

    links_of(settings_of(ctx))  # the send goes on from here: refuse before anything changes without the key
    resume(store_of(settings_of(ctx)), edition_id)
    out.print(f"edition #{edition_id}: resumed")
    send(ctx, edition_id)


@app.command()
def status(ctx: typer.Context) -> None:
    """Each list's next run, last run and last edition; failing sources; who runs the scheduler."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from digest.lease import holder_of
    from digest.schedule import trigger_of
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


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    scheduler: Annotated[
        bool, typer.Option(help="Also run the scheduler (while this process holds the lease).")
    ] = True,
) -> None:
    """Serve the web app and run the scheduler; SIGTERM stops gracefully."""
    from digest.serve import serve as run_server

    settings = settings_of(ctx)
    links = links_of(settings)  # refuse to start without the signing key
    path = str(config.config_path((ctx.obj or {}).get("config_path")).resolve())
    run_server(settings, path, links.tokens.secret_key, host, port, scheduler)


@app.command()
def demo(ctx: typer.Context) -> None:
    """Run the whole path on config.yaml: import the sample subscribers, ingest, build, deliver, preview."""
    from digest.demo import run_demo

    run_demo(settings_of(ctx), out)


def main() -> None:
    try:
        app()
    except DigestError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(1)
