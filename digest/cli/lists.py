"""`digest lists`: create, list and show mailing lists."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from digest.cli.context import ListId, require_list, settings_of, store_of
from digest.errors import Invalid
from subscribers.addresses import (
    normalize,
)
from subscribers.models import (
    MEMBERSHIP_STATUSES,
    SUPPORTED_LANGUAGES,
    MailingList,
)
from subscribers.service import (
    all_lists,
    create_list,
    member_counts,
)

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Mailing lists: create, list, show.")


@app.command("create")
def lists_create(
    ctx: typer.Context,
    list_id: ListId,
    name: Annotated[str, typer.Option(help="The list's name, as subscribers see it.")],
    from_address: Annotated[str, typer.Option(help="The sender address of its mail.")],
    from_name: Annotated[str, typer.Option(help="The sender name of its mail.")],
    language: Annotated[
        str, typer.Option(help="Language of its pages and mail (en, fr, de, es, it).")
    ] = "en",
    description: Annotated[str, typer.Option(help="One or two sentences for the subscribe page.")] = "",
    reply_to: Annotated[str | None, typer.Option(help="A Reply-To address.")] = None,
    double_opt_in: Annotated[bool, typer.Option(help="Ask new subscribers to confirm by email.")] = True,
    public: Annotated[
        bool,
        typer.Option(
            "--public/--private",
            help="Offer it on every subscriber's preferences page; a private list (the default, e.g. "
            "one made for an import) is shown only to its members.",
        ),
    ] = False,
) -> None:
    """Create a list (lists in config.yaml are created on their own)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", list_id):
        raise Invalid(f"list id {list_id!r}: use lower-case letters, digits, - and _ (at most 64)")
    if language not in SUPPORTED_LANGUAGES:
        raise Invalid(f"--language {language!r}: one of {', '.join(SUPPORTED_LANGUAGES)}")
    if not name.strip() or len(name) > 200:
        raise Invalid("--name: give 1 to 200 characters")
    if any(ord(c) < 32 for c in name + from_name):
        raise Invalid(
            "--name, --from-name: no line breaks or control characters (they go into mail headers)"
        )
    lst = MailingList(
        id=list_id,
        name=name.strip(),
        language=language,
        description=description,
        double_opt_in=double_opt_in,
        from_address=normalize(from_address),
        from_name=from_name,
        reply_to=normalize(reply_to) if reply_to else None,
        public=public,
    )
    with store_of(settings_of(ctx)).begin() as conn:
        create_list(conn, lst)
    typer.echo(f"created list {list_id} ({'public' if public else 'private'})")


@app.command("list")
def lists_list(ctx: typer.Context) -> None:
    """The lists, with their members by status."""
    with store_of(settings_of(ctx)).connect() as conn:
        lists = all_lists(conn)
        if not lists:
            typer.echo("no lists yet: add one to config.yaml or run `digest lists create`")
            return
        typer.echo(f"{'id':<20} {'lang':<5} {'confirmed':>10} {'pending':>8} {'left':>8}  name")
        for lst in lists:
            counts = member_counts(conn, lst.id)
            left = sum(counts.get(s, 0) for s in ("unsubscribed", "bounced", "complained"))
            typer.echo(
                f"{lst.id:<20} {lst.language:<5} {counts.get('confirmed', 0):>10} "
                f"{counts.get('pending', 0):>8} {left:>8}  {lst.name}"
            )


@app.command("show")
def lists_show(ctx: typer.Context, list_id: ListId) -> None:
    """One list's settings, members by status, and subscribe page."""
    settings = settings_of(ctx)
    with store_of(settings).connect() as conn:
        lst = require_list(conn, list_id)
        counts = member_counts(conn, list_id)
    typer.echo(f"id:             {lst.id}")
    typer.echo(f"name:           {lst.name}")
    typer.echo(f"description:    {lst.description}")
    typer.echo(f"language:       {lst.language}")
    typer.echo(f"double opt-in:  {'yes' if lst.double_opt_in else 'no'}")
    offered = "yes (offered on every preferences page)" if lst.public else "no (shown to its members only)"
    typer.echo(f"public:         {offered}")
    typer.echo(f"from:           {lst.from_name} <{lst.from_address}>")
    typer.echo(f"reply-to:       {lst.reply_to or '-'}")
    typer.echo(f"subscribe page: {settings.base_url}/subscribe/{lst.id}")
    for status in MEMBERSHIP_STATUSES:
        typer.echo(f"{status + ':':<15} {counts.get(status, 0)}")
