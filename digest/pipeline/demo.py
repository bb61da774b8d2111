"""`digest demo`: the whole path on the demo configuration, told step by step."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime

from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine

from digest import config
from digest.accounts.service import Accounts
from digest.config import Settings
from digest.deliver.backends import make_backend
from digest.deliver.notices import Notices
from digest.domain import Actor, Role
from digest.editions import service
from digest.errors import ConfigError
from digest.ingest.run import ingest
from digest.links import Links
from digest.pipeline.instance import open_instance
from digest.pipeline.run import run_slot
from digest.pipeline.schedule import due_slot
from subscribers.importer import import_csv
from subscribers.service import member_counts
from subscribers.tokens import Tokens

SAMPLE_SUBSCRIBERS = "samples/subscribers.csv"


def _demo_secret(settings: Settings, out: Console) -> str:
    """The demo signs links with DIGEST_SECRET_KEY, or else with a key it keeps in the data folder."""
    key = config.secret(config.SECRET_KEY_ENV)
    if key:
        return key
    path = settings.path(settings.data_dir) / "demo-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        os.chmod(path, 0o600)
        out.print(
            f"{config.SECRET_KEY_ENV} is not set: the demo made a signing key in {path} (for the demo only)"
        )
    return path.read_text().strip()


def run_demo(settings: Settings, out: Console) -> None:
    if not settings.lists:
        raise ConfigError("the configuration declares no list: add one under `lists:`")
    engine = open_instance(settings)
    shown = engine.url.render_as_string(hide_password=True)
    out.print(f"[bold]database[/] {escape(shown)} (migrations applied)")
    lst = settings.lists[0]
    links = Links(settings.base_url, Tokens(_demo_secret(settings, out)))

    csv_file = settings.path(SAMPLE_SUBSCRIBERS)
    with engine.connect() as conn:  # the import commits chunk by chunk
        report = import_csv(conn, csv_file, lst.id, consent="demo sample data")
        counts = member_counts(conn, lst.id)
    out.print(
        f"[bold]subscribers[/] {csv_file}: imported {report.imported}, merged {report.merged}, "
        f"rejected {report.rejected}; list {lst.id!r} now has "
        + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    )

    found = ingest(engine, settings)
    out.print(
        f"[bold]ingest[/] {len(settings.sources)} source(s): {found.new} new, {found.updated} updated, "
        f"{found.unchanged} already known article(s)"
    )
    for name, reason in found.failed.items():
        out.print(f"  [red]source {escape(name)} failed[/]: {escape(reason)}", highlight=False)
    for line in found.skipped:
        out.print(f"  [yellow]skipped[/] {escape(line)}", highlight=False)

    now = datetime.now(UTC)
    for lst in settings.lists:
        # the same run the scheduler makes at the list's slot: build, approve, send
        slot = due_slot(lst, now)
        run = run_slot(
            engine,
            settings,
            lst.id,
            slot,
            make_backend(settings),
            links,
            now,
            Notices(settings, engine),
        )
        if run.sent is None or run.edition_id is None:
            out.print(f"[bold]deliver[/] nothing new to send for {lst.id!r}: {escape(run.outcome)}")
            continue
        out.print(
            f"[bold]deliver[/] edition #{run.edition_id} {run.sent.status}: {run.sent.sent_now} message(s) sent "
            f"now to {run.sent.recipients} confirmed recipient(s) through the {settings.delivery.backend} backend"
        )
        path, size, _ = service.preview(engine, settings, run.edition_id)
        out.print(f"[bold]preview[/] {path} ({size / 1024:.1f} KB of HTML)")
    if settings.delivery.backend == "file":
        outbox = settings.path(settings.delivery.outbox)
        count = len(list(outbox.glob("*.eml"))) if outbox.is_dir() else 0
        out.print(f"[bold]outbox[/] {outbox}: {count} .eml file(s) in all")
    _demo_editor(settings, engine, out)


DEMO_EDITOR = "editor@example.org"


def _demo_editor(settings: Settings, engine: Engine, out: Console) -> None:
    """A publisher to try the newsroom with; their password is kept in the data folder (0600)."""
    path = settings.path(settings.data_dir) / "demo-editor-password"
    accounts = Accounts(engine, None)
    if not any(user.email == DEMO_EDITOR for user in accounts.users()):
        password = secrets.token_urlsafe(12)
        accounts.create_user(DEMO_EDITOR, "Demo Editor", Role.PUBLISHER, password, Actor.named("demo"))
        path.write_text(password)
        os.chmod(path, 0o600)
    out.print(
        f"[bold]newsroom[/] run `digest serve`, open http://127.0.0.1:8000/signin and sign in as "
        f"{DEMO_EDITOR} with the password in {path}"
    )
