"""`digest db`: the database schema."""

from __future__ import annotations

import typer

from digest.cli.context import settings_of
from digest.cli.output import out

app = typer.Typer(no_args_is_help=True, help="Database schema.")


@app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the database migrations (they also run on every start)."""
    from digest.pipeline.instance import upgrade_schema

    applied = upgrade_schema(settings_of(ctx))
    out.print("schema upgraded to the newest revision" if applied else "schema already up to date")
