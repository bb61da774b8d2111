"""`digest subscribers`: add, import, export, show, unsubscribe, suppress, erase."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from digest.cli.context import actor, audience_of, options_named
from digest.cli.output import err, say
from digest.errors import Conflict, Invalid

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Subscribers: add, import, export, show, unsubscribe, suppress, erase.",
)
ORIGIN = "cli"  # where an admin acts from, as consent records keep it


Email = Annotated[str, typer.Argument(help="The email address.")]


ListOption = Annotated[str, typer.Option("--list", "-l", help="The list's id.")]


Consent = Annotated[
    str | None,
    typer.Option(
        help="Where the consent comes from (e.g. 'signup form 2024'): members are confirmed at once."
    ),
]


@app.command("add")
def subscribers_add(
    ctx: typer.Context,
    email: Email,
    list_id: ListOption,
    name: Annotated[str | None, typer.Option(help="The subscriber's name.")] = None,
    language: Annotated[str | None, typer.Option(help="Their language (en, fr, de, es, it).")] = None,
    timezone: Annotated[str | None, typer.Option(help="Their time zone, e.g. Europe/Paris.")] = None,
    consent: Consent = None,
) -> None:
    """Add one subscriber. Without --consent, a double opt-in list mails them a confirmation link."""
    from digest.audience import joining
    from subscribers.addresses import normalize
    from subscribers.optin import Outcome

    with options_named():
        result = joining.add(
            audience_of(ctx),
            list_id,
            email,
            name=name,
            language=language,
            timezone=timezone,
            consent=consent,
            origin=ORIGIN,
        )
    address = result.subscriber.email if result.subscriber else normalize(email)
    if result.outcome is Outcome.ALREADY_CONFIRMED:
        say(f"{address} is already a confirmed member of {list_id}")
    elif result.outcome is Outcome.CONFIRMATION_NEEDED:
        say(f"{address} is pending on {list_id}: a confirmation link was sent")
    else:
        say(f"{address} is a confirmed member of {list_id}")


@app.command("import")
def subscribers_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A CSV file with a header row.", exists=True, dir_okay=False)],
    list_id: ListOption,
    consent: Consent = None,
    encoding: Annotated[
        str | None,
        typer.Option(help="The file's encoding, e.g. utf-8, utf-16, cp1252, latin-1 (default: detected)."),
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="The character between fields, or 'tab' (default: detected).")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="COLUMN=FIELD: read FIELD (email, name, language, timezone, status, attribute, ignore) from COLUMN.",
        ),
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Where to write the rejected rows (default: FILE.errors.csv).")
    ] = None,
) -> None:
    """Import subscribers from CSV. Other columns become attributes; duplicates are merged.

    Rows are confirmed only with --consent (or a status column and --consent); otherwise pending.
    Suppressed addresses are skipped and counted; each rejected row goes to the report with its reason.
    """
    from digest.audience import members
    from subscribers.importer import RejectedRows, csv_format, data_lines

    columns = {}
    for item in mapping or []:
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise Invalid(f"--map {item!r}: write COLUMN=FIELD, e.g. --map 'E-Mail=email'")
        columns[column.strip()] = target.strip().lower()
    with options_named():
        fmt = csv_format(file, encoding, "\t" if delimiter in ("tab", "\\t") else delimiter)
    say(f"{file.name}: read as {fmt.describe()}")
    report_path = report or file.with_name(file.name + ".errors.csv")
    audience = audience_of(ctx)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    shown = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with RejectedRows(report_path) as errors, Progress(*shown, transient=True) as bar, options_named():
        task = bar.add_task("importing", total=data_lines(file))
        result = members.import_file(
            audience.engine,
            file,
            list_id,
            consent=consent,
            fmt=fmt,
            mapping=columns,
            errors=errors.write,
            progress=lambda rows: bar.update(task, completed=rows),
            utf8_refusal=audience.utf8_refusal,
        )
    say(f"rows read:            {result.rows:,}")
    say(f"imported (new):       {result.imported:,}")
    say(f"merged (known):       {result.merged:,}")
    if result.kept_left:
        say(f"  of which had left:  {result.kept_left:,} (left as they were: an import never re-subscribes)")
    say(f"skipped (suppressed): {result.suppressed:,}")
    say(f"rejected:             {result.rejected:,}" + (f" (see {report_path})" if result.rejected else ""))


@app.command("export")
def subscribers_export(
    ctx: typer.Context,
    list_id: Annotated[str | None, typer.Option("--list", "-l", help="Only this list's members.")] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            help="Only members with this status (repeatable), on --list or on any list. Default: all."
        ),
    ] = None,
    prefix: Annotated[str, typer.Option(help="Only addresses that start with this.")] = "",
    name: Annotated[str, typer.Option(help="Only names that start with this.")] = "",
    language: Annotated[str | None, typer.Option(help="Only subscribers of this language.")] = None,
    timezone: Annotated[str | None, typer.Option(help="Only subscribers of this time zone.")] = None,
    joined_from: Annotated[
        str | None,
        typer.Option(help="Only those who joined (--list, else were added) on or after YYYY-MM-DD."),
    ] = None,
    joined_to: Annotated[str | None, typer.Option(help="... and on or before YYYY-MM-DD.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The CSV file (default: stdout).")
    ] = None,
) -> None:
    """Export subscribers as CSV (the console's filters), safe to open in a spreadsheet (no formula runs).

    With --list, a row per member with their status on it; without, a row per subscriber."""
    from digest.audience import console, members

    with options_named():
        query = console.query_of(
            list_id=list_id, statuses=status or [], prefix=prefix, name=name, language=language,
            timezone=timezone, joined_from=joined_from, joined_to=joined_to,
        )  # fmt: skip
        count = members.export_file(audience_of(ctx), query, output or sys.stdout)
    say(f"exported {count:,} " + ("members" if list_id else "subscribers"), console=err)


@app.command("show")
def subscribers_show(
    ctx: typer.Context,
    email: Email,
    as_json: Annotated[
        bool, typer.Option("--json", help="Everything held about the address, as JSON (a privacy export).")
    ] = False,
) -> None:
    """What is held about one address: details, memberships, consent records, suppression, deliveries."""
    from digest.audience import privacy

    data = privacy.export(audience_of(ctx), email)
    if as_json:
        say(json.dumps(data, ensure_ascii=False, indent=2))
        return
    sub = data["subscriber"]
    if sub is None:
        say(f"{data['email']}: no subscriber with this address")
    else:
        say(f"{sub['email']}  (id {sub['id']}, since {sub['created_at']})")
        say(
            f"name: {sub['name'] or '-'}  language: {sub['language'] or '-'}  timezone: {sub['timezone'] or '-'}"
        )
        say(f"open and click tracking: {'allowed' if sub['tracking'] else 'opted out'}")
        for key, value in sub["attributes"].items():
            say(f"  {key}: {value}")
        for ms in data["memberships"]:
            say(f"list {ms['list']}: {ms['status']} since {ms['status_changed_at']}")
        for ev in data["consent_events"]:
            say(f"  {ev['at']} {ev['list']} -> {ev['status']} by {ev['method']} ({ev['origin'] or '-'})")
    if data["suppression"]:
        say(f"suppressed: {data['suppression']['reason']} since {data['suppression']['since']}")


@app.command("unsubscribe")
def subscribers_unsubscribe(
    ctx: typer.Context,
    email: Email,
    list_id: Annotated[str | None, typer.Option("--list", "-l", help="The list to leave.")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Leave every list.")] = False,
) -> None:
    """Unsubscribe an address from one list (--list) or from all (--all)."""
    from digest.audience import leaving

    if bool(list_id) == everything:
        raise Invalid("say which: --list LIST or --all")
    sub, left = leaving.remove(audience_of(ctx), email, None if everything else list_id, origin=ORIGIN)
    say(f"{sub.email} left: {', '.join(left)}" if left else f"{sub.email} was on no such list")


@app.command("suppress")
def subscribers_suppress(
    ctx: typer.Context,
    email: Email,
    note: Annotated[str, typer.Option(help="Why, who asked: kept with it, shown in the console.")] = "",
) -> None:
    """Put an address on the suppression list: it is never mailed, imported or subscribed again."""
    from digest.audience import suppressions
    from subscribers.addresses import normalize

    try:
        suppressions.add(audience_of(ctx), email, "manual", note, actor())
    except Conflict:
        say(f"{normalize(email)} was already suppressed")
        return
    say(f"{normalize(email)} is now suppressed")


@app.command("erase")
def subscribers_erase(
    ctx: typer.Context,
    email: Email,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase everything held about an address. Only a hash stays, so it cannot be imported back."""
    from digest.audience import privacy
    from subscribers.addresses import normalize

    address = normalize(email)
    if not yes and not typer.confirm(f"Erase {address} for good?"):
        raise Conflict("nothing erased")
    erased = privacy.erase_address(audience_of(ctx), address)
    what = "subscriber erased" if erased.subscriber_id is not None else "no subscriber held"
    canceled = f"{erased.canceled} pending deliver{'y' if erased.canceled == 1 else 'ies'} canceled"
    say(
        f"{address}: {what}; {canceled}; {erased.scrubbed} delivery record(s) scrubbed; "
        "the address hash stays suppressed"
    )
