"""What the routes share, made once per app: the store, the settings, the signing key's tokens and
links, the pages, and the way notices go out. A route takes it as `site: SiteDep`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from digest.config import Settings
from digest.deliver.backends import utf8_refusal
from digest.deliver.notices import SendNotice, notice_sender
from digest.links import Links
from digest.render.notices import Notice, notices_for
from digest.web.csrf import Csrf
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
        self.engine, self.settings = engine, settings
        self.tokens = Tokens(secret_key)
        self.links = Links(settings.base_url, self.tokens)
        self.pages = Pages(Csrf(secret_key, secure=settings.base_url.startswith("https://")))
        self.send_notice = send_notice or notice_sender(settings, engine)
        self.notice_mail = notices_for(settings)
        self.utf8_refusal = utf8_refusal(settings)  # why the delivery cannot carry a non-ASCII local part
        self.limits, self.confirm_days, self.scheduler_active = limits, confirm_days, scheduler_active

    def notify(self, kind: Notice, lst: MailingList, email: str, values: dict[str, str]) -> None:
        mail = self.notice_mail(kind, lst, values)
        self.send_notice(email, mail.subject, mail.text, mail.html, list_id=lst.id)

    def send_confirmation(self, lst: MailingList, subscriber_id: int, nonce: str | None, email: str) -> None:
        self.notify("confirm", lst, email, {"confirm_url": self.links.confirm(subscriber_id, lst.id, nonce)})


def site(request: Request) -> Site:
    found: Site = request.app.state.site
    return found


SiteDep = Annotated[Site, Depends(site)]


def client(request: Request) -> str | None:
    """The client's address, as consent records and rate limits keep it."""
    return request.client.host if request.client else None
