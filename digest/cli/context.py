"""What every command starts from: the settings, the store, the signing key, who acts."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from digest import config
from digest.errors import ConfigError, NotFound
from subscribers.models import MailingList
from subscribers.service import all_lists, get_list

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from digest.links import Links


ListId = Annotated[str, typer.Argument(help="The list's id: lower-case letters, digits, - and _.")]


def settings_of(ctx: typer.Context) -> config.Settings:
    """The settings from --config (on the main app's context), else $DIGEST_CONFIG, else ./config.yaml."""
    obj = ctx.obj if isinstance(ctx.obj, dict) else {}
    return config.load(obj.get("config_path"))


def store_of(settings: config.Settings) -> Engine:
    """The database, migrated, with the lists of config.yaml in it."""
    from digest.pipeline.instance import open_instance

    return open_instance(settings)


def require_list(conn: Connection, list_id: str) -> MailingList:
    lst = get_list(conn, list_id)
    if lst is None:
        known = ", ".join(x.id for x in all_lists(conn)) or "none yet"
        raise NotFound(f"--list: no list with id {list_id!r} (known: {known})")
    return lst


def links_of(settings: config.Settings) -> Links:
    from digest.links import Links
    from subscribers.tokens import Tokens

    key = config.secret(config.SECRET_KEY_ENV)
    if not key:
        raise ConfigError(
            f"{config.SECRET_KEY_ENV} is not set: links in mail are signed with it. "
            f"Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return Links(settings.base_url, Tokens(key))


def optional_links(settings: config.Settings) -> Links | None:
    """The signed links, when the signing key is set (what only shows a link can do without it)."""
    return links_of(settings) if config.secret(config.SECRET_KEY_ENV) else None


def actor() -> str:
    """Who is acting, for the edition's change log: $DIGEST_EDITOR, else the login name."""
    import getpass

    return os.environ.get("DIGEST_EDITOR") or getpass.getuser()
