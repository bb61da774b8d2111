"""`digest editions` and `digest preview`: build, curate, move along the lifecycle, inspect."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from digest.cli.context import actor, links_of, optional_links, settings_of, store_of
from digest.cli.output import out
from digest.cli.send import send
from digest.domain import EditionStatus
from digest.errors import Invalid

app = typer.Typer(no_args_is_help=True, help="Build, curate, approve and inspect editions.")


@app.command("build")
def editions_build(
    ctx: typer.Context, list_id: Annotated[str, typer.Argument(help="The list's id.")]
) -> None:
    """Build the list's next edition, or rebuild its draft keeping the editors' changes."""
    from digest.editions import service

    settings = settings_of(ctx)
    out.print(
        service.build(store_of(settings), settings, list_id, actor=actor()).reason,
        markup=False,
        highlight=False,
    )


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


@app.command("pin")
def editions_pin(ctx: typer.Context, edition_id: int, article_id: ArticleId) -> None:
    """Keep an article in the edition, ahead of the automatic picks."""
    _change(ctx, edition_id, ("pin", {"article_id": article_id}))


@app.command("exclude")
def editions_exclude(ctx: typer.Context, edition_id: int, article_id: ArticleId) -> None:
    """Leave an article out of the edition, also when it is rebuilt."""
    _change(ctx, edition_id, ("exclude", {"article_id": article_id}))


@app.command("move")
def editions_move(ctx: typer.Context, edition_id: int, article_id: ArticleId, position: int) -> None:
    """Move an item to a position (1 is the top story)."""
    _change(ctx, edition_id, ("move", {"article_id": article_id, "position": position}))


@app.command("add")
def editions_add(ctx: typer.Context, edition_id: int, url: str) -> None:
    """Add an article by its URL (fetched and stored then and there if it is not stored yet)."""
    _change(ctx, edition_id, ("add", {"url": url}))


@app.command("edit")
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
    quote_text: Annotated[
        tuple[int, str] | None,
        typer.Option(help="ARTICLE TEXT: show a quote written by hand (checked against the article's text)."),
    ] = None,
    speaker: Annotated[str | None, typer.Option(help="Who said the --quote-text quote.")] = None,
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
            raise Invalid(f"--quote {quote[0]} {quote[1]}: give a quotation number or 'none'")
        index = None if quote[1] == "none" else int(quote[1])
        edits.append(("quote", {"article_id": quote[0], "index": index}))
    if quote_text is not None:
        edits.append(("quote_text", {"article_id": quote_text[0], "text": quote_text[1], "speaker": speaker}))
    elif speaker is not None:
        raise Invalid("--speaker goes with --quote-text")
    if not edits:
        raise Invalid("nothing to edit: give --subject, --intro, --lede, --quote or --quote-text")
    _change(ctx, edition_id, *edits)


@app.command("paraphrase")
def editions_paraphrase(
    ctx: typer.Context,
    edition_id: int,
    article_id: ArticleId,
    off: Annotated[
        bool, typer.Option("--off", help="Take the mark away: the quote is checked again.")
    ] = False,
) -> None:
    """Mark an item's quote as a deliberate paraphrase: the quote check lets it differ from the article."""
    _change(ctx, edition_id, ("paraphrase", {"article_id": article_id, "on": not off}))


@app.command("check")
def editions_check(ctx: typer.Context, edition_id: int) -> None:
    """Check an edition before sending it: links, alt text, ledes, quotes, placeholders, subject,
    size, unsubscribe link. Exits 1 when a check fails."""
    from digest.editions import service

    settings = settings_of(ctx)
    failed = service.checks(store_of(settings), settings, edition_id)
    for check in failed:
        where = "edition" if check.item is None else f"item {check.item}"
        out.print(f"{where} · {check.kind}: {check.message}", markup=False, highlight=False)
    if failed:
        out.print(f"edition #{edition_id}: {len(failed)} check(s) failed", markup=False, highlight=False)
        raise typer.Exit(1)
    out.print(f"edition #{edition_id}: every check passed", markup=False, highlight=False)


@app.command("test-send")
def editions_test_send(
    ctx: typer.Context,
    edition_id: int,
    to: Annotated[
        list[str] | None, typer.Option("--to", help="An address to send the test to (repeatable).")
    ] = None,
) -> None:
    """Send the edition as a test ("[TEST]" subject) to --to and the list's seed addresses, through the
    configured backend; no subscriber gets it and nothing is counted. Exits 1 if an address was refused."""
    from digest.editions import service

    settings = settings_of(ctx)
    results = service.test_send(store_of(settings), settings, edition_id, actor(), to or [])
    for result in results:
        outcome = "sent" if result.accepted else f"not sent: {result.reason}"
        out.print(f"{result.address}: {outcome}", markup=False, highlight=False)
    if not all(result.accepted for result in results):
        raise typer.Exit(1)


@app.command("search")
def editions_search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help="Words of the title or the text (each may be the start of a word).")
    ],
    list_id: Annotated[
        str | None, typer.Option("--list", help="Only the articles of this list's sources.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many articles.")] = 20,
) -> None:
    """Search the stored articles, best match first: their ids are what `editions pin` adds."""
    from digest.editions import service

    settings = settings_of(ctx)
    found = service.search_articles(store_of(settings), settings, query, list_id, limit)
    for article in found:
        when = f"{article.published_at:%Y-%m-%d}" if article.published_at else "undated"
        out.print(
            f"#{article.id} {escape(article.title)}  [dim]({escape(article.source)}, {when})[/]",
            highlight=False,
        )
    if not found:
        out.print(f"no stored article matches {query!r}", markup=False, highlight=False)


@app.command("approve")
def editions_approve(ctx: typer.Context, edition_id: int) -> None:
    """Approve an edition: `digest serve` sends it, or send it now with `digest send`."""
    from digest.editions import service

    edition = service.transition(store_of(settings_of(ctx)), edition_id, EditionStatus.APPROVED, actor())
    out.print(f"edition #{edition.id} is {edition.status}")


@app.command("schedule")
def editions_schedule(
    ctx: typer.Context,
    edition_id: int,
    at: Annotated[
        str, typer.Option(help="When to send: ISO 8601, e.g. 2026-12-01T07:00+01:00 (no offset: UTC).")
    ],
) -> None:
    """Schedule an approved edition for a given time; `digest serve` sends it then."""
    from digest.editions import service

    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise Invalid(f"--at {at!r}: not an ISO 8601 date and time") from None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    edition = service.schedule(store_of(settings_of(ctx)), edition_id, when, actor())
    out.print(f"edition #{edition.id} is {edition.status}")


@app.command("cancel")
def editions_cancel(ctx: typer.Context, edition_id: int) -> None:
    """Cancel an edition; a send under way stops after the batch in flight. Its articles go to the next one."""
    from digest.editions import service

    edition, unsent = service.cancel(store_of(settings_of(ctx)), edition_id, actor())
    note = f"; {unsent} message(s) will not be sent" if unsent else ""
    out.print(f"edition #{edition.id} is {edition.status}{note}")


@app.command("list")
def editions_list(ctx: typer.Context, list_id: Annotated[str | None, typer.Option("--list")] = None) -> None:
    """List editions with their status and deliveries."""
    from digest.editions import service

    table = Table("id", "list", "status", "subject", "created", "deliveries")
    for listed in service.list_all(store_of(settings_of(ctx)), list_id):
        edition = listed.edition
        table.add_row(
            str(edition.id),
            escape(edition.list_id),
            edition.status,
            escape(edition.subject),
            f"{edition.created_at:%Y-%m-%d %H:%M}",
            ", ".join(f"{k} {v}" for k, v in sorted(listed.counts.items())) or "-",
        )
    out.print(table)


@app.command("show")
def editions_show(ctx: typer.Context, edition_id: int) -> None:
    """Show an edition's intro, items, ledes and quotes, its review link, deliveries and change log."""
    from digest.deliver.control import send_report_lines
    from digest.editions import service

    settings = settings_of(ctx)
    shown = service.show(store_of(settings), settings, edition_id, optional_links(settings))
    edition = shown.edition
    out.print(
        f"[bold]#{edition.id}[/] {escape(edition.subject)}  ({escape(edition.list_id)}, {edition.status})",
        highlight=False,
    )
    if edition.intro:
        out.print(f"\nintro: {escape(edition.intro)}", highlight=False)
    if shown.review_link:
        out.print(f"review link: {escape(shown.review_link)}", highlight=False)
    for i, item in enumerate(edition.items, 1):
        out.print(
            f"\n{i}. [bold]{escape(item.title)}[/]  [dim]article #{item.article_id}, {escape(item.source)}[/]"
            f"\n   {escape(item.lede)}",
            highlight=False,
        )
        for q in item.quotes:
            mark = "  (a paraphrase)" if q.paraphrase else ""
            out.print(f"   “{escape(q.text)}” — {escape(q.speaker or 'unattributed')}{mark}", highlight=False)
    if shown.send is not None:
        out.print("\n" + "\n".join(send_report_lines(shown.send)), highlight=False, markup=False)
    out.print("\nchanges:")
    for change in shown.changes:
        args = ", ".join(f"{k}={v}" for k, v in change.args.items())
        out.print(
            f"  {change.at:%Y-%m-%d %H:%M} {escape(change.actor)}: {change.op} {escape(args)}",
            highlight=False,
        )


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
    from digest.editions import service
    from digest.editions.preview import describe

    settings = settings_of(ctx)
    shown = service.preview(store_of(settings), settings, edition_id, out_file, width=width)
    out.print(
        f"preview of edition #{edition_id}: {escape(str(shown.path))} ({describe(shown.size, shown.held_back)})"
    )


@app.command("pause")
def editions_pause(ctx: typer.Context, edition_id: int) -> None:
    """Pause a send after the batch in flight; nothing is lost."""
    from digest.editions import service

    service.pause(store_of(settings_of(ctx)), edition_id, actor())
    out.print(f"edition #{edition_id}: paused")


@app.command("resume")
def editions_resume(ctx: typer.Context, edition_id: int) -> None:
    """Resume a paused send and carry it on from this process."""
    from digest.editions import service

    links_of(settings_of(ctx))  # the send goes on from here: refuse before anything changes without the key
    service.resume(store_of(settings_of(ctx)), edition_id, actor())
    out.print(f"edition #{edition_id}: resumed")
    send(ctx, edition_id)
