"""The lists declared in config.yaml, mirrored into the subscriber tables."""

from sqlalchemy import Engine

from digest.config import Settings
from subscribers.models import MailingList
from subscribers.service import sync_lists as sync


def config_lists(settings: Settings) -> list[MailingList]:
    return [
        MailingList(
            id=lst.id,
            name=lst.name,
            language=lst.language,
            description=lst.description,
            double_opt_in=lst.double_opt_in,
            from_address=str(lst.from_address),
            from_name=lst.from_name,
            reply_to=str(lst.reply_to) if lst.reply_to else None,
            public=lst.public,
        )
        for lst in settings.lists
    ]


def sync_lists(engine: Engine, settings: Settings) -> None:
    with engine.begin() as conn:
        sync(conn, config_lists(settings))
