"""`digest subscribers`: add, import, export, show, unsubscribe, suppress, erase."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from sqlalchemy import Connection, Engine, func, or_, select

from digest import config
from digest.audience.privacy import erase
from digest.deliver.backends import utf8_refusal
from digest.errors import ConfigError, Conflict, Invalid, NotFound
from digest.store import tables as store_tables
from subscribers import optin
from subscribers.addresses import (
    Utf8Refusal,
    check_deliverable,
    identity,
    normalize,
)
from subscribers.exporter import export_csv
from subscribers.importer import RowError, csv_format, import_csv
from subscribers.models import (
    MEMBERSHIP_STATUSES,
    MailingList,
    Subscriber,
    language_code,
)
from subscribers.privacy import export_address
from subscribers.service import (
    as_utc,
    find_subscriber,
    is_suppressed,
    membership_status,
    set_status,
    unsubscribe_all,
    upsert_subscriber,
)
from subscribers.suppression import suppress as suppress_address

if TYPE_CHECKING:
    import _csv
from digest.cli.context import require_list, settings_of, store_of

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Subscribers: add, import, export, show, unsubscribe, suppress, erase.",
)


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
    if language is not None:
        try:
            language = language_code(language)
        except ValueError as exc:
            raise Invalid(f"--language {language!r}: {exc}") from None
    if timezone is not None:
        _check_timezone(timezone)
    if name is not None and len(name) > 200:
        raise Invalid("--name: at most 200 characters")
    settings = settings_of(ctx)
    secret = None if consent else _secret()  # checked before anything is stored: the link is signed with it
    sub = Subscriber(email=normalize(email), name=name, language=language, timezone=timezone)
    refusal = utf8_refusal(settings)
    engine = store_of(settings)
    with engine.begin() as conn:
        lst = require_list(conn, list_id)
        if consent:
            if len(consent) > 64:
                raise Invalid("--consent: at most 64 characters")
            result = _add_with_consent(conn, lst, sub, consent, refusal)
        elif not lst.double_opt_in:
            raise Invalid(
                f"list {lst.id} has no double opt-in: state the consent source with --consent"
            )
        else:
            # No client address: the per-client limit guards the public form, not the admins.
            result = optin.request_subscription(
                conn, lst, sub, method="admin", origin=None, wording=None, utf8_refusal=refusal
            )
    if result.outcome is optin.Outcome.SUPPRESSED:
        raise Conflict(f"{sub.email} is on the suppression list: it will not be added")
    if result.outcome is optin.Outcome.RATE_LIMITED:
        raise Conflict(f"{sub.email} was sent several confirmation links within the hour; try later")
    if result.outcome is optin.Outcome.ALREADY_CONFIRMED:
        typer.echo(f"{sub.email} is already a confirmed member of {lst.id}")
    elif result.outcome is optin.Outcome.CONFIRMATION_NEEDED and result.subscriber_id is not None:
        _send_confirmation(settings, engine, secret or "", lst, result, sub.email)
        typer.echo(f"{sub.email} is pending on {lst.id}: a confirmation link was sent")
    else:
        typer.echo(f"{sub.email} is a confirmed member of {lst.id}")


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"--timezone: unknown time zone {name!r} (e.g. Europe/Paris)") from None


def _add_with_consent(
    conn: Connection, lst: MailingList, sub: Subscriber, consent: str, refusal: Utf8Refusal
) -> optin.Subscription:
    check_deliverable(sub.email, refusal)
    if is_suppressed(conn, sub.email):
        return optin.Subscription(optin.Outcome.SUPPRESSED)
    sid, _ = upsert_subscriber(conn, sub)
    if membership_status(conn, sid, lst.id) == "confirmed":
        return optin.Subscription(optin.Outcome.ALREADY_CONFIRMED, sid)
    set_status(conn, sid, lst.id, "confirmed", method="admin", origin="cli", wording=consent)
    return optin.Subscription(optin.Outcome.CONFIRMED, sid)


def _send_confirmation(
    settings: config.Settings, engine: Engine, secret: str, lst: MailingList, request: optin.Subscription, email: str
) -> None:
    from digest.deliver.notices import Notices
    from digest.links import Links
    from subscribers.tokens import Tokens

    links = Links(settings.base_url, Tokens(secret))
    assert request.subscriber_id is not None
    url = links.confirm(request.subscriber_id, lst.id, request.nonce)
    Notices(settings, engine).send("confirm", lst, email, {"confirm_url": url})


def _secret() -> str:
    key = config.secret(config.SECRET_KEY_ENV)
    if not key:
        raise ConfigError(f"set {config.SECRET_KEY_ENV}: links in mail are signed with it")
    return key


@app.command("import")
def subscribers_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="A CSV file with a header row.", exists=True, dir_okay=False)
    ],
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
            "--map", help="COLUMN=FIELD: read FIELD (email, name, language, timezone, status) from COLUMN."
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
    columns = {}
    for item in mapping or []:
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise Invalid(f"--map {item!r}: write COLUMN=FIELD, e.g. --map 'E-Mail=email'")
        columns[column.strip()] = target.strip().lower()
    fmt = csv_format(file, _encoding_option(encoding), _delimiter_option(delimiter))
    typer.echo(f"{file.name}: read as {fmt.describe()}")
    report_path = report or file.with_name(file.name + ".errors.csv")
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    settings = settings_of(ctx)
    refusal = functools.cache(utf8_refusal(settings))  # one answer for the whole file
    engine = store_of(settings)
    with _ErrorReport(report_path) as errors, engine.connect() as conn:
        shown = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*shown, transient=True) as bar:
            task = bar.add_task("importing", total=_data_lines(file))
            result = import_csv(
                conn,
                file,
                list_id,
                consent=consent,
                mapping=columns,
                errors=errors.write,
                progress=lambda rows: bar.update(task, completed=rows),
                utf8_refusal=refusal,
                fmt=fmt,
            )
    typer.echo(f"rows read:            {result.rows:,}")
    typer.echo(f"imported (new):       {result.imported:,}")
    typer.echo(f"merged (known):       {result.merged:,}")
    if result.kept_left:
        typer.echo(
            f"  of which had left:  {result.kept_left:,} (left as they were: an import never re-subscribes)"
        )
    typer.echo(f"skipped (suppressed): {result.suppressed:,}")
    typer.echo(
        f"rejected:             {result.rejected:,}" + (f" (see {report_path})" if result.rejected else "")
    )


def _encoding_option(value: str | None) -> str | None:
    if value is not None:
        try:
            "".encode(value)  # also refuses codecs that are not text encodings (base64...)
        except LookupError:
            raise Invalid(
                f"--encoding {value!r}: not an encoding Python knows (e.g. utf-8, utf-16, cp1252, latin-1)"
            ) from None
    return value


def _delimiter_option(value: str | None) -> str | None:
    if value is None:
        return None
    value = "\t" if value in ("tab", "\\t") else value
    if len(value) != 1 or value in "\r\n\"":
        raise Invalid(f"--delimiter {value!r}: give one character (or 'tab'), not a quote or line break")
    return value


def _data_lines(path: Path) -> int:
    """Lines after the header: the bar's total (a quoted cell with a line break makes it an estimate)."""
    with path.open("rb") as fh:
        lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    return max(lines - 1, 0)


class _ErrorReport:
    """The rejected rows as CSV: row, field, reason, value. Created only when there is one."""

    def __init__(self, path: Path):
        self.path = path
        self._file: TextIO | None = None
        self._writer: _csv.Writer | None = None

    def __enter__(self) -> _ErrorReport:
        if self.path.exists():
            self.path.unlink()
        return self

    def write(self, error: RowError) -> None:
        import csv

        from subscribers.csvsafe import neutralize

        if self._writer is None:
            self._file = self.path.open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._file)
            self._writer.writerow(["row", "field", "reason", "value"])
        self._writer.writerow(
            [error.row, neutralize(error.field), neutralize(error.reason), neutralize(error.value)]
        )

    def __exit__(self, *exc: object) -> None:
        if self._file:
            self._file.close()


@app.command("export")
def subscribers_export(
    ctx: typer.Context,
    list_id: ListOption,
    status: Annotated[
        list[str] | None, typer.Option(help="Only members with this status (repeatable). Default: all.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The CSV file (default: stdout).")
    ] = None,
) -> None:
    """Export a list's members as CSV, safe to open in a spreadsheet (no formula runs)."""
    for s in status or []:
        if s not in MEMBERSHIP_STATUSES:
            raise Invalid(f"--status {s!r}: one of {', '.join(MEMBERSHIP_STATUSES)}")
    with store_of(settings_of(ctx)).connect() as conn:
        require_list(conn, list_id)
        if output is None:
            count = export_csv(conn, list_id, sys.stdout, statuses=status)
        else:
            with output.open("w", newline="", encoding="utf-8") as fh:
                count = export_csv(conn, list_id, fh, statuses=status)
    typer.echo(f"exported {count:,} members", err=True)


@app.command("show")
def subscribers_show(
    ctx: typer.Context,
    email: Email,
    as_json: Annotated[
        bool, typer.Option("--json", help="Everything held about the address, as JSON (a privacy export).")
    ] = False,
) -> None:
    """What is held about one address: details, memberships, consent records, suppression, deliveries."""
    with store_of(settings_of(ctx)).connect() as conn:
        data = export_address(conn, email)
        data["deliveries"] = _deliveries(conn, data)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    sub = data["subscriber"]
    if sub is None:
        typer.echo(f"{data['email']}: no subscriber with this address")
    else:
        typer.echo(f"{sub['email']}  (id {sub['id']}, since {sub['created_at']})")
        typer.echo(
            f"name: {sub['name'] or '-'}  language: {sub['language'] or '-'}  "
            f"timezone: {sub['timezone'] or '-'}"
        )
        for key, value in sub["attributes"].items():
            typer.echo(f"  {key}: {value}")
        for ms in data["memberships"]:
            typer.echo(f"list {ms['list']}: {ms['status']} since {ms['status_changed_at']}")
        for ev in data["consent_events"]:
            typer.echo(
                f"  {ev['at']} {ev['list']} -> {ev['status']} by {ev['method']} ({ev['origin'] or '-'})"
            )
    if data["suppression"]:
        typer.echo(f"suppressed: {data['suppression']['reason']} since {data['suppression']['since']}")


def _deliveries(conn: Connection, data: dict[str, Any]) -> list[dict[str, Any]]:
    d = store_tables.deliveries
    sub = data["subscriber"]
    match = func.lower(d.c.email) == identity(data["email"])
    where = or_(d.c.subscriber_id == sub["id"], match) if sub else match
    rows = conn.execute(
        select(d.c.edition_id, d.c.status, d.c.updated_at).where(where).order_by(d.c.updated_at)
    )
    return [
        {"edition": r.edition_id, "status": r.status, "at": as_utc(r.updated_at).isoformat()} for r in rows
    ]


@app.command("unsubscribe")
def subscribers_unsubscribe(
    ctx: typer.Context,
    email: Email,
    list_id: Annotated[str | None, typer.Option("--list", "-l", help="The list to leave.")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Leave every list.")] = False,
) -> None:
    """Unsubscribe an address from one list (--list) or from all (--all)."""
    if bool(list_id) == everything:
        raise Invalid("say which: --list LIST or --all")
    with store_of(settings_of(ctx)).begin() as conn:
        sub = find_subscriber(conn, email)
        if sub is None or sub.id is None:
            raise NotFound(f"{normalize(email)}: no subscriber with this address")
        if everything:
            left = unsubscribe_all(conn, sub.id, method="admin", origin="cli")
        else:
            lst = require_list(conn, list_id or "")
            status = membership_status(conn, sub.id, lst.id)
            left = []
            if status in ("pending", "confirmed"):
                set_status(conn, sub.id, lst.id, "unsubscribed", method="admin", origin="cli")
                left = [lst.id]
    typer.echo(f"{sub.email} left: {', '.join(left)}" if left else f"{sub.email} was on no such list")


@app.command("suppress")
def subscribers_suppress(ctx: typer.Context, email: Email) -> None:
    """Put an address on the suppression list: it is never mailed, imported or subscribed again."""
    with store_of(settings_of(ctx)).begin() as conn:
        added = suppress_address(conn, email, "manual")
    typer.echo(f"{normalize(email)} " + ("is now suppressed" if added else "was already suppressed"))


@app.command("erase")
def subscribers_erase(
    ctx: typer.Context,
    email: Email,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase everything held about an address. Only a hash stays, so it cannot be imported back."""
    address = normalize(email)
    if not yes and not typer.confirm(f"Erase {address} for good?"):
        raise Conflict("nothing erased")
    with store_of(settings_of(ctx)).begin() as conn:
        erased = erase(conn, address)
    what = "subscriber erased" if erased.subscriber_id is not None else "no subscriber held"
    canceled = f"{erased.canceled} pending deliver{'y' if erased.canceled == 1 else 'ies'} canceled"
    typer.echo(
        f"{address}: {what}; {canceled}; {erased.scrubbed} delivery record(s) scrubbed; "
        "the address hash stays suppressed"
    )
