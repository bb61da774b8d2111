"""What every command starts from: the settings, the store, the signing key, who acts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from digest.domain import Actor
from digest.errors import Invalid
from subscribers.errors import InvalidValue, shown

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from digest.audience.service import Audience
    from digest.config import Settings
    from digest.links import Links


ListId = Annotated[str, typer.Argument(help="The list's id: lower-case letters, digits, - and _.")]


def settings_of(ctx: typer.Context) -> Settings:
    """The settings from --config (on the main app's context), else $DIGEST_CONFIG, else ./config.yaml."""
    from digest import config

    obj = ctx.obj if isinstance(ctx.obj, dict) else {}
    return config.load(obj.get("config_path"))


def store_of(settings: Settings) -> Engine:
    """The database, migrated, with the lists of config.yaml in it."""
    from digest.pipeline.instance import open_instance

    return open_instance(settings)


def audience_of(ctx: typer.Context) -> Audience:
    """The subscriber operations on the configured instance, signing with DIGEST_SECRET_KEY when it
    is set (the operations that mail a link refuse without it)."""
    from digest import config
    from digest.audience.service import Audience

    settings = settings_of(ctx)
    return Audience(settings, store_of(settings), secret_key=config.secret(config.SECRET_KEY_ENV))


@contextmanager
def options_named(**arguments: str) -> Iterator[None]:
    """A wrong value named as the command line gives it: a service's field `from_address` is the
    option --from-address, or, for a field given as an argument, the name `arguments` maps it to."""
    try:
        yield
    except InvalidValue as exc:
        name = arguments.get(exc.field) or "--" + exc.field.replace("_", "-")
        raise Invalid(f"{name}{shown(exc.value)}: {exc.reason}") from None


def links_of(settings: Settings) -> Links:
    from digest import config
    from digest.links import Links, signer

    return Links(settings.base_url, signer(config.secret(config.SECRET_KEY_ENV)))


def optional_links(settings: Settings) -> Links | None:
    """The signed links, when the signing key is set (what only shows a link can do without it)."""
    from digest import config

    return links_of(settings) if config.secret(config.SECRET_KEY_ENV) else None


def actor() -> Actor:
    """Who is acting, for the edition's change log and the audit log: $DIGEST_EDITOR, else the login name."""
    import getpass

    return Actor.named(os.environ.get("DIGEST_EDITOR") or getpass.getuser())
