"""A signed-in user's own account: their second factor (set up, with recovery codes shown once)
and signing out of every browser."""

from __future__ import annotations

from typing import Annotated

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from digest.domain import Actor
from digest.errors import Invalid
from digest.web.auth import CurrentSession, CurrentUser, clear_session_cookie
from digest.web.deps import SiteDep, client

router = APIRouter()


@router.get("/account", response_class=HTMLResponse)
def account(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> HTMLResponse:
    return site.newsroom.render(request, "account.html", user=user, session=session)


@router.post("/account/second-factor", response_class=HTMLResponse)
def begin_second_factor(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession
) -> HTMLResponse:
    secret, uri = site.accounts.begin_second_factor(user)
    setup = {
        "secret": secret,
        "qr": segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your app"),
    }
    return site.newsroom.render(request, "account.html", user=user, session=session, setup=setup)


@router.post("/account/second-factor/confirm", response_class=HTMLResponse)
def confirm_second_factor(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    code: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    try:
        codes = site.accounts.confirm_second_factor(user, code, Actor.of(user, client(request)))
    except Invalid as exc:
        return site.newsroom.render(
            request, "account.html", user=user, session=session, error=str(exc), status=422
        )
    user = site.accounts.user(user.id)
    return site.newsroom.render(request, "account.html", user=user, session=session, recovery_codes=codes)


@router.post("/account/signout-everywhere")
def signout_everywhere(site: SiteDep, request: Request, user: CurrentUser) -> Response:
    site.accounts.sign_out_everywhere(user.id, Actor.of(user, client(request)))
    response = RedirectResponse("/signin", status_code=303)
    clear_session_cookie(response, site.secure)
    return response
