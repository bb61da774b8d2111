"""What the routes share, made once per app: the store, the settings, the signing key's tokens and
links, the pages, and the way notices go out. A route takes it as `site: SiteDep`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from digest.accounts.service import Accounts
from digest.config import Settings
from digest.deliver.backends import utf8_refusal
from digest.deliver.notices import Notices, SendNotice
from digest.editions import service as editions_service
from digest.links import Links
from digest.web.csrf import Csrf
from digest.web.newsroom import Newsroom
from digest.web.pages import Pages
from subscribers import optin
from subscribers.models import MailingList
from subscribers.tokens import Tokens

CONFIRM_DAYS = 7  # how long a confirmation link stays valid


class Site:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        secret_key: str,
        *,
        send_notice: SendNotice | None = None,
        limits: optin.SubscribeLimits = optin.SubscribeLimits(),
        confirm_days: int = CONFIRM_DAYS,
        scheduler_active: Callable[[], bool] = lambda: False,
    ):
        self.engine, self.settings, self.secret_key = engine, settings, secret_key
        self.secure = settings.base_url.startswith("https://")  # cookies are Secure behind https
        self.accounts = Accounts(engine, secret_key)
        self.tokens = Tokens(secret_key)
        self.links = Links(settings.base_url, self.tokens)
        self.pages = Pages(Csrf(secret_key, secure=self.secure))
        self.newsroom = Newsroom(secret_key)
        self.notices = Notices(settings, engine, send=send_notice)
        self.utf8_refusal = utf8_refusal(settings)  # why the delivery cannot carry a non-ASCII local part
        self.limits, self.confirm_days, self.scheduler_active = limits, confirm_days, scheduler_active

    def list_of_edition(self, edition_id: int) -> str | None:
        return editions_service.list_of(self.engine, edition_id)

    def send_confirmation(self, lst: MailingList, subscriber_id: int, nonce: str | None, email: str) -> None:
        url = self.links.confirm(subscriber_id, lst.id, nonce)
        self.notices.send("confirm", lst, email, {"confirm_url": url})


def site(request: Request) -> Site:
    found: Site = request.app.state.site
    return found


SiteDep = Annotated[Site, Depends(site)]


def client(request: Request) -> str | None:
    """The client's address, as consent records and rate limits keep it."""
    return request.client.host if request.client else None
