"""`digest users`: the newsroom's users. The first admin comes from here; the password is asked
for (twice, hidden) or read from standard input, never given as an argument."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from digest.cli.context import actor, settings_of, store_of
from digest.cli.output import escape, out
from digest.domain import Role
from digest.errors import Invalid

if TYPE_CHECKING:
    from digest.accounts.service import Accounts

app = typer.Typer(no_args_is_help=True, add_completion=False, help="The newsroom's users: create, list.")


def _accounts(ctx: typer.Context) -> Accounts:
    from digest.accounts.service import Accounts
    from digest.config import secret

    return Accounts(store_of(settings_of(ctx)), secret("DIGEST_SECRET_KEY"))


def read_password() -> str:
    """From the terminal, asked twice without echo; from standard input when it is not one."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("The same password again", hide_input=True) != first:
        raise Invalid("the two passwords differ")
    return str(first)


@app.command("create")
def create(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The user's email address: they sign in with it.")],
    role: Annotated[Role, typer.Option(help="viewer, editor, publisher or admin.")] = Role.EDITOR,
    name: Annotated[
        str | None, typer.Option(help="How the newsroom names them (default: the address).")
    ] = None,
    lists: Annotated[
        list[str] | None,
        typer.Option("--list", help="Limit the user to this list (repeatable); default: every list."),
    ] = None,
) -> None:
    """Create a user; the password is asked for, or read from standard input."""
    user = _accounts(ctx).create_user(
        email, name or email, role, read_password(), actor(), tuple(lists) if lists else None
    )
    scope = ", ".join(user.lists) if user.lists is not None else "every list"
    out.print(f"user #{user.id} {escape(user.label)}: {user.role} on {escape(scope)}", highlight=False)


@app.command("list")
def list_users(ctx: typer.Context) -> None:
    """Every user with their role, lists and second factor."""
    for user in _accounts(ctx).users():
        scope = ", ".join(user.lists) if user.lists is not None else "every list"
        factor = "second factor on" if user.second_factor else "no second factor"
        state = "" if user.active else ", deactivated"
        out.print(
            f"#{user.id} {escape(user.label)}: {user.role} on {escape(scope)}, {factor}{state}",
            highlight=False,
        )
