"""Signing in (password, then the second factor when the user has one) and out. The sign-in forms
carry the public pages' double-submit CSRF token (no session exists yet); signing out, the session's."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from digest.accounts.service import Throttled
from digest.domain import Actor
from digest.errors import Invalid
from digest.web.auth import COOKIE, CurrentUser, clear_session_cookie, set_session_cookie
from digest.web.deps import Site, SiteDep, client

HOME = "/newsroom"
router = APIRouter()


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another host: browsers read a
    backslash as a slash, so "/\\evil.example" is another host too)."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or urlsplit(target).netloc
    ):
        return HOME
    return target


def _form(site: Site, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    form_csrf, fresh = site.pages.csrf.field(request)
    page = site.newsroom.render(request, template, status=status, form_csrf=form_csrf, **context)
    if fresh:
        site.pages.csrf.set_cookie(page, fresh)
    return page


@router.get("/signin", response_class=HTMLResponse)
def signin_page(site: SiteDep, request: Request, next: str = HOME) -> HTMLResponse:
    return _form(site, request, "signin.html", next=safe_next(next), email="", error="")


@router.post("/signin")
def signin(
    site: SiteDep,
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = HOME,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    target = safe_next(next)
    if not site.pages.csrf.valid(request, csrf):
        error = "This form has expired, or your browser refuses cookies (signing in needs them): try again."
        return _form(site, request, "signin.html", 403, next=target, email=email, error=error)
    try:
        started = site.accounts.sign_in(email, password, client(request))
    except Throttled as exc:
        return _form(site, request, "signin.html", 429, next=target, email=email, error=str(exc))
    except Invalid:
        error = "That email address and password do not match an account."
        return _form(site, request, "signin.html", 401, next=target, email=email, error=error)
    to = f"/signin/code?next={quote(target, safe='/')}" if started.second_factor_due else target
    response = RedirectResponse(to, status_code=303)
    set_session_cookie(response, started.token, site.secure)
    return response


@router.get("/signin/code", response_class=HTMLResponse)
def code_page(site: SiteDep, request: Request, next: str = HOME) -> Response:
    token = request.cookies.get(COOKIE)
    if not token or site.accounts.pending_user(token) is None:
        return RedirectResponse(f"/signin?next={quote(safe_next(next), safe='/')}", status_code=303)
    return _form(site, request, "signin_code.html", next=safe_next(next), error="")


@router.post("/signin/code")
def give_code(
    site: SiteDep,
    request: Request,
    code: Annotated[str, Form(max_length=40)] = "",
    next: Annotated[str, Form(max_length=2000)] = HOME,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    target = safe_next(next)
    token = request.cookies.get(COOKIE) or ""
    if not site.pages.csrf.valid(request, csrf):
        return _form(
            site, request, "signin_code.html", 403, next=target, error="This form has expired: try again."
        )
    try:
        site.accounts.give_second_factor(token, code, client(request))
    except Throttled as exc:
        return _form(site, request, "signin_code.html", 429, next=target, error=str(exc))
    except Invalid as exc:
        if site.accounts.pending_user(token) is None:
            return RedirectResponse(f"/signin?next={quote(target, safe='/')}", status_code=303)
        return _form(site, request, "signin_code.html", 401, next=target, error=str(exc))
    return RedirectResponse(target, status_code=303)


@router.post("/signout")
def signout(site: SiteDep, request: Request, user: CurrentUser) -> Response:
    site.accounts.sign_out(request.cookies.get(COOKIE) or "", Actor.of(user, client(request)))
    response = RedirectResponse("/signin", status_code=303)
    clear_session_cookie(response, site.secure)
    return response
