"""The admin console's settings: the configuration in force with the secrets left out (only whether
each is set), and a button that sends a test through the delivery backend to the admin's address."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from digest.config import SECRET_KEY_ENV, effective, secrets_set
from digest.deliver.check import try_backend
from digest.domain import Actor, Session, User
from digest.errors import Invalid, Unavailable
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import Site, SiteDep, client

router = APIRouter()


def _page(site: Site, request: Request, user: User, session: Session, status: int = 200, **context: object) -> HTMLResponse:
    return site.newsroom.render(
        request, "settings.html", user=user, session=session, status=status, page="settings",
        configuration=effective(site.settings), backend=site.settings.delivery.backend,
        secrets=secrets_set({SECRET_KEY_ENV: bool(site.newsroom.secret_key)}),  # the app may be given its key
        tested=request.query_params.get("tested") == "yes", **context,
    )  # fmt: skip


@router.get("/admin/settings", response_class=HTMLResponse)
def settings_page(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> HTMLResponse:
    return _page(site, request, user, session)


@router.post("/admin/settings/test-delivery", response_model=None)
def try_the_backend(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> Response:
    try:
        try_backend(site.settings, site.engine, user.email, Actor.of(user, client(request)))
    except (Invalid, Unavailable) as exc:  # Unavailable: the backend did not take it (its reason)
        return _page(site, request, user, session, 502 if isinstance(exc, Unavailable) else 422, error=str(exc))
    return RedirectResponse("/admin/settings?tested=yes", status_code=303)
