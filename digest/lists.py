"""The lists declared in config.yaml, mirrored into the subscriber tables. A ListSettings is a
MailingList, so they are stored as they are."""

from sqlalchemy import Engine

from digest.config import Settings
from subscribers.service import sync_lists as sync


def sync_lists(engine: Engine, settings: Settings) -> None:
    with engine.begin() as conn:
        sync(conn, settings.lists)
