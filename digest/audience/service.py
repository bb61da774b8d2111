"""What every subscriber operation runs with, and how a link in mail is read.

A link's token says whom and which list it was mailed for; the operation acts only on the person
holding that id and nonce now (subscribers.service.token_holder), so a link of someone erased since
acts on nobody.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from digest.audience.mail import Mailer
from digest.config import Settings
from digest.deliver.backends import utf8_refusal
from digest.deliver.notices import SendNotice
from subscribers.models import MailingList, Subscriber
from subscribers.optin import SubscribeLimits
from subscribers.service import get_list, token_holder
from subscribers.tokens import Claim, InvalidToken

CONFIRM_DAYS = 7  # how long a confirmation link stays valid


class Audience:
    """The subscriber side of one instance: its store and settings, the mail its operations send
    (signed with `secret_key`: an operation that mails a link refuses, ConfigError, before it stores
    anything when there is none), the subscribe limits, and how long a confirmation link lasts.
    `send` stands in for the delivery backend in tests."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        secret_key: str | None,
        send: SendNotice | None = None,
        limits: SubscribeLimits = SubscribeLimits(),
        confirm_days: int = CONFIRM_DAYS,
    ):
        self.settings, self.engine, self.secret_key = settings, engine, secret_key
        self.mail = Mailer(settings, engine, secret_key, send)
        self.limits, self.confirm_days = limits, confirm_days
        # Why the delivery cannot carry an address whose part before the @ is not ASCII; asked only
        # when such an address comes.
        self.utf8_refusal = utf8_refusal(settings)


def list_of(conn: Connection, claim: Claim) -> MailingList:
    """The list a token names; InvalidToken for one that names none, or a list deleted since."""
    lst = get_list(conn, claim.list_id) if claim.list_id else None
    if lst is None:
        raise InvalidToken("this link is not valid")
    return lst


def holder_of(conn: Connection, claim: Claim) -> Subscriber:
    """The person a token was mailed to; InvalidToken when they are no longer here."""
    holder = token_holder(conn, claim)
    if holder is None or holder.id is None:
        raise InvalidToken("this link is not valid")
    return holder
