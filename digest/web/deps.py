"""What the routes share, made once per app: the store, the settings, the signing key's tokens, the
subscriber operations (digest.audience.service.Audience) and the pages. A route takes it as
`site: SiteDep`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from digest.accounts.idempotency import Answers
from digest.accounts.service import Accounts
from digest.accounts.tokens import ApiTokens
from digest.accounts.users import Users
from digest.audience.jobs import HANDLERS
from digest.audience.service import CONFIRM_DAYS, Audience
from digest.config import Settings, Theme
from digest.deliver.notices import SendNotice, plain_html
from digest.deliver.readers import Readers
from digest.editions import service as editions_service
from digest.errors import Invalid
from digest.jobs import JobRunner
from digest.web.bearer import Bearer, RateLimit
from digest.web.csrf import Csrf
from digest.web.newsroom import Newsroom
from digest.web.pages import Pages
from subscribers.optin import SubscribeLimits


class Site:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        secret_key: str,
        *,
        send_notice: SendNotice | None = None,
        limits: SubscribeLimits = SubscribeLimits(),
        confirm_days: int = CONFIRM_DAYS,
        scheduler_active: Callable[[], bool] = lambda: False,
        api_limit: RateLimit = RateLimit(),
    ):
        self.engine, self.settings, self.secret_key = engine, settings, secret_key
        self.secure = settings.base_url.startswith("https://")  # cookies are Secure behind https
        self.audience = Audience(
            settings,
            engine,
            secret_key=secret_key,
            send=send_notice,
            limits=limits,
            confirm_days=confirm_days,
        )
        self.audience.mail.prepare()
        self.tokens = self.audience.mail.tokens  # for the review links (digest.web.routes.review)
        self.accounts = Accounts(engine, secret_key)
        self.api_tokens = ApiTokens(engine)  # the JSON API's tokens (made and revoked on /admin/tokens too)
        self.bearer = Bearer(self.api_tokens, api_limit)  # the tokens' check and rate limit
        self.answers = Answers(engine)  # the JSON API's answers by Idempotency-Key
        self.users = Users(self.accounts, secret_key)  # the admin console's users and invitations
        self.pages = Pages(Csrf(secret_key, secure=self.secure), self.theme_of)
        self.newsroom = Newsroom(secret_key)
        self.scheduler_active = scheduler_active
        # imports and bulk actions: run on a thread of this process, watched on /admin/jobs
        self.jobs = JobRunner(engine, HANDLERS, settings.path(settings.data_dir) / "jobs")
        # tracked links and the open pixel: answered at once, recorded by a thread of this process
        self.readers = Readers(engine, settings, self.tokens)

    def invitation_mail(self, to: str, subject: str, text: str) -> None:
        """An invitation goes out like a notice, from the first list's address (the newsroom's own)."""
        if not self.settings.lists:
            raise Invalid("no list is configured: invitations are sent from a list's address")
        self.audience.mail.notices.deliver(to, subject, text, plain_html(text), list_id=self.settings.lists[0].id)

    def theme_of(self, list_id: str) -> Theme:
        """A list's theme (config.yaml's lists have one; a list made by `digest lists create`, the default)."""
        found = next((lst for lst in self.settings.lists if lst.id == list_id), None)
        return found.theme if found else Theme()

    def list_of_edition(self, edition_id: int) -> str | None:
        return editions_service.list_of(self.engine, edition_id)


def site(request: Request) -> Site:
    found: Site = request.app.state.site
    return found


SiteDep = Annotated[Site, Depends(site)]


def client(request: Request) -> str | None:
    """The client's address, as consent records and rate limits keep it."""
    return request.client.host if request.client else None
