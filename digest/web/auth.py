"""Who is signed in, and whether the route's rule (digest.web.policy) lets them in.

The session cookie holds a random token (HttpOnly, SameSite=Lax, Secure when public_url is https);
the server keeps the session, so signing out, here or everywhere, takes effect at once. A form or
htmx request that changes something on a signed-in route carries the session's CSRF token: a form
field `csrf`, or the header `X-CSRF-Token` (the newsroom layout sets it for htmx). An upload route's
form is not read here: digest.web.uploads checks its `csrf` field as the body streams in.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response

from digest.domain import Session, User
from digest.web.csrf import csrf_token
from digest.web.policy import RULES, Rule

if TYPE_CHECKING:
    from digest.web.deps import Site

COOKIE = "digest_session"
CSRF_FIELD, CSRF_HEADER = "csrf", "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SIGNIN_PATH, SETUP_PATH = "/signin", "/account"
DENIED = {"X-Denied": "authorization"}  # a 403 of the gate, told apart from a page's own refusal


class SignInNeeded(Exception):
    """Answered with a redirect to the sign-in page (or, for htmx, an HX-Redirect to it)."""

    def __init__(self, to: str):
        self.to = to


def rule_of(method: str, path: str) -> Rule | None:
    """The rule of a route, by its method and path template."""
    return RULES.get(("GET" if method == "HEAD" else method, path))


def set_session_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=secure, path="/")


def clear_session_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(COOKIE, httponly=True, samesite="lax", secure=secure, path="/")


async def authorize(request: Request) -> None:
    """The app's own dependency, run before every route: enforce the route's rule."""
    site: Site = request.app.state.site
    route = request.scope.get("route")
    template = getattr(route, "path", None) or request.url.path
    rule = rule_of(request.method, template) or _mount_rule(request.url.path)
    if rule is None:  # the app checks at start that every route has one; fail closed all the same
        raise HTTPException(403, headers=DENIED)
    if rule.token_scope is not None:  # the JSON API: a bearer token, never the session cookie
        site.bearer.check(request, rule.token_scope)
        return
    if rule.public:
        return
    token = request.cookies.get(COOKIE)
    found = site.accounts.session_user(token) if token else None
    if found is None:
        raise SignInNeeded(_signin_url(request))
    user, session = found
    request.state.user, request.state.session = user, session
    if user.second_factor_required and not user.second_factor and not rule.second_factor_setup:
        raise SignInNeeded(SETUP_PATH)  # an admin requires a second factor: set it up first
    if rule.permission is not None and not user.may(rule.permission, _list_of(rule, request, site)):
        raise HTTPException(403, headers=DENIED)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and rule.upload and request.headers.get("content-type", "").startswith("multipart/"):
            request.state.csrf = csrf_token(site.secret_key, session)  # checked before a byte is kept
            return
        if sent is None and "form" in request.headers.get("content-type", ""):
            sent = str((await request.form()).get(CSRF_FIELD) or "")
        if not sent or not hmac.compare_digest(sent, csrf_token(site.secret_key, session)):
            raise HTTPException(403, "the form's security token is missing or stale: reload the page", DENIED)


def _mount_rule(path: str) -> Rule | None:
    """Mounted apps (the static files) are matched by their prefix."""
    return next((rule for (_, prefix), rule in RULES.items() if path.startswith(prefix + "/")), None)


def _list_of(rule: Rule, request: Request, site: Site) -> str | None:
    """The list a list-scoped permission applies to, from the path; an edition that does not exist
    belongs to no list (the route then answers 404 for it, to those who may ask)."""
    if rule.scope == "list":
        return str(request.path_params.get("list_id") or "")
    if rule.scope == "edition":
        raw = str(request.path_params.get("edition_id") or "")
        return site.list_of_edition(int(raw)) if raw.isdigit() else None
    return None


def _signin_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{SIGNIN_PATH}?next={quote(target, safe='/')}"


def visitor(request: Request) -> User | None:
    """On a public route, the signed-in user the request comes from, if any (the review link takes
    an editor who may read the edition on to its board)."""
    site: Site = request.app.state.site
    token = request.cookies.get(COOKIE)
    found = site.accounts.session_user(token) if token else None
    return found[0] if found else None


def current_user(request: Request) -> User:
    """The signed-in user of a route whose rule is not public (authorize has set it)."""
    user: User = request.state.user
    return user


def current_session(request: Request) -> Session:
    session: Session = request.state.session
    return session


CurrentUser = Annotated[User, Depends(current_user)]
CurrentSession = Annotated[Session, Depends(current_session)]
