"""`digest lists`: create, update, list and show mailing lists."""

from __future__ import annotations

from typing import Annotated

import typer

from digest.cli.context import ListId, actor, audience_of, options_named
from digest.cli.output import say

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Mailing lists: create, update, list, show."
)


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
    from digest.audience import lists

    with options_named(id="list id"):
        lst = lists.create(
            audience_of(ctx),
            list_id,
            name,
            actor(),
            from_address=from_address,
            from_name=from_name,
            language=language,
            description=description,
            reply_to=reply_to,
            double_opt_in=double_opt_in,
            public=public,
        )
    say(f"created list {lst.id} ({'public' if lst.public else 'private'})")


@app.command("update")
def lists_update(
    ctx: typer.Context,
    list_id: ListId,
    name: Annotated[str | None, typer.Option(help="The list's name, as subscribers see it.")] = None,
    from_address: Annotated[str | None, typer.Option(help="The sender address of its mail.")] = None,
    from_name: Annotated[str | None, typer.Option(help="The sender name of its mail.")] = None,
    language: Annotated[str | None, typer.Option(help="Language of its pages and mail.")] = None,
    description: Annotated[
        str | None, typer.Option(help="One or two sentences for the subscribe page.")
    ] = None,
    reply_to: Annotated[str | None, typer.Option(help="A Reply-To address ('' for none).")] = None,
    double_opt_in: Annotated[
        bool | None, typer.Option(help="Ask new subscribers to confirm by email.")
    ] = None,
    public: Annotated[bool | None, typer.Option("--public/--private", help="Offer it to everyone.")] = None,
) -> None:
    """Change a list made outside config.yaml (the options given; a list of config.yaml is changed there)."""
    from digest.audience import lists

    given: dict[str, object] = {"name": name, "from_address": from_address, "from_name": from_name, "language": language,
             "description": description, "double_opt_in": double_opt_in, "public": public}  # fmt: skip
    fields: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    if reply_to is not None:
        fields["reply_to"] = reply_to or None
    with options_named(id="list id"):
        lst = lists.update(audience_of(ctx), list_id, actor(), **fields)
    say(f"updated list {lst.id} ({'public' if lst.public else 'private'})")


@app.command("list")
def lists_list(ctx: typer.Context) -> None:
    """The lists, with their members by status."""
    from digest.audience import lists
    from subscribers.models import LEFT_STATUSES, MembershipStatus

    summaries = lists.summaries(audience_of(ctx))
    if not summaries:
        say("no lists yet: add one to config.yaml or run `digest lists create`")
        return
    say(f"{'id':<20} {'lang':<5} {'confirmed':>10} {'pending':>8} {'left':>8}  name")
    for summary in summaries:
        lst, counts = summary.lst, summary.counts
        left = sum(counts.get(status, 0) for status in LEFT_STATUSES)
        say(
            f"{lst.id:<20} {lst.language:<5} {counts.get(MembershipStatus.CONFIRMED, 0):>10} "
            f"{counts.get(MembershipStatus.PENDING, 0):>8} {left:>8}  {lst.name}"
        )


@app.command("show")
def lists_show(ctx: typer.Context, list_id: ListId) -> None:
    """One list's settings, members by status, and subscribe page."""
    from digest.audience import lists
    from subscribers.models import MembershipStatus

    summary = lists.summary(audience_of(ctx), list_id)
    lst = summary.lst
    say(f"id:             {lst.id}")
    say(f"name:           {lst.name}")
    say(f"description:    {lst.description}")
    say(f"language:       {lst.language}")
    say(f"double opt-in:  {'yes' if lst.double_opt_in else 'no'}")
    offered = "yes (offered on every preferences page)" if lst.public else "no (shown to its members only)"
    say(f"public:         {offered}")
    say(f"from:           {lst.from_name} <{lst.from_address}>")
    say(f"reply-to:       {lst.reply_to or '-'}")
    say(f"subscribe page: {summary.subscribe_url}")
    for status in MembershipStatus:
        say(f"{status + ':':<15} {summary.counts.get(status, 0)}")
