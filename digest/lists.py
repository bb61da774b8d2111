"""The lists declared in config.yaml, mirrored into the subscriber tables."""

from sqlalchemy import Engine

from digest.config import Settings
from subscribers.models import MailingList
from subscribers.service import sync_lists as sync


def sync_lists(engine: Engine, settings: Settings) -> None:
    lists = [
        MailingList(
            id=lst.id,
            name=lst.name,
            language=lst.language,
            description=lst.description,
            double_opt_in=lst.double_opt_in,
            from_address=lst.from_address,
            from_name=lst.from_name,
            reply_to=lst.reply_to,
        )
        for lst in settings.lists
    ]
    with engine.begin() as conn:
        sync(conn, lists)
