"""The `digest` command. Each command group has a module here; every command parses its input, calls
one service (the same the scheduler and the web app call) and prints the result. The errors the
services raise are mapped to exit codes in one place: `main`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer import _click as click  # typer ships its own click; its Context is the one commands get
from typer.core import TyperGroup

from digest.cli import bounces, db, editions, ingest, lists, send, serve, subscribers, tokens, trim, users
from digest.cli.output import err, escape
from digest.errors import DigestError


class Commands(TyperGroup):
    """The one place errors become exit codes: a known failure is one line on stderr and exit status
    1, never a traceback (typer's own usage errors keep their status 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DigestError as exc:
            fail(str(exc))
        except OSError as exc:  # a file named on the command line: missing, unreadable, not a file
            fail(f"{exc.filename or ''}: {exc.strerror or exc}")
        except Exception as exc:
            if not _database_error(exc):
                raise
            fail(f"database: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")


def _database_error(exc: Exception) -> bool:
    """Whether SQLAlchemy raised it. Asked without importing SQLAlchemy, which a command that never
    opened the database (and `--help`) has not loaded: its errors cannot have been raised then."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


def fail(message: str) -> NoReturn:
    err.print(f"[red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(1)


app = typer.Typer(
    cls=Commands,
    no_args_is_help=True,
    add_completion=False,
    help="digest: newsletter digests with ledes and quotes.",
)
app.add_typer(editions.app, name="editions")
app.add_typer(lists.app, name="lists")
app.add_typer(subscribers.app, name="subscribers")
app.add_typer(users.app, name="users")
app.add_typer(tokens.app, name="tokens")
app.add_typer(db.app, name="db")
app.add_typer(bounces.app, name="bounces")
app.command()(ingest.ingest)
app.command("sources")(ingest.sources_list)
app.command()(trim.trim)
app.command()(editions.preview)
app.command()(send.send)
app.command()(serve.status)
app.command()(serve.serve)
app.command()(serve.worker)
app.command()(serve.demo)


@app.callback()
def _global(
    ctx: typer.Context,
    config_path: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="config.yaml to use (default: $DIGEST_CONFIG or ./config.yaml)."),
    ] = None,
) -> None:
    ctx.obj = {"config_path": config_path}


def main() -> None:
    app()
