"""`digest tokens`: the JSON API's bearer tokens. `create` prints the token once: only its hash is kept."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from digest.cli.context import actor, settings_of, store_of
from digest.cli.output import escape, out, say
from digest.domain import SCOPES

if TYPE_CHECKING:
    from digest.accounts.tokens import ApiTokens

app = typer.Typer(no_args_is_help=True, add_completion=False, help="The JSON API's tokens: create, list, revoke.")


def _tokens(ctx: typer.Context) -> ApiTokens:
    from digest.accounts.tokens import ApiTokens

    return ApiTokens(store_of(settings_of(ctx)))


@app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. 'the CRM sync'.")],
    scope: Annotated[
        list[str], typer.Option("--scope", "-s", help=f"One of {', '.join(SCOPES)}; repeat for more.")
    ],
) -> None:
    """Make a token with the scopes given and print it, once: it cannot be shown again."""
    made = _tokens(ctx).create(name, scope, actor())
    say(f"API token #{made.token.id} {made.token.name!r}: {' '.join(made.token.scopes)}")
    say("the token (shown once; only its hash is kept):")
    out.print(made.secret, highlight=False, markup=False)


@app.command("list")
def list_tokens(ctx: typer.Context) -> None:
    """Every token, with its scopes and whether it was revoked (never the token itself)."""
    for t in _tokens(ctx).all():
        state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
        used = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
        out.print(f"#{t.id}  {escape(t.name)}  {' '.join(t.scopes)}  {state}, {used}", highlight=False)


@app.command("revoke")
def revoke(ctx: typer.Context, token_id: Annotated[int, typer.Argument(help="The token's number (see list).")]) -> None:
    """Refuse the token from now on."""
    t = _tokens(ctx).revoke(token_id, actor())
    say(f"API token #{t.id} {t.name!r} revoked")
