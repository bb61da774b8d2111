"""The admin console's users and audit log (digest.accounts.users): the users with their roles and
second factors, the invitation form, each user's role, lists, deactivation and second factor; the
page an invitation's link opens to set a password; the audit log with its filters, paged by the id
of the last entry shown (keyset). Every page works without JavaScript: forms post and come back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from digest.accounts import audit
from digest.accounts.service import PASSWORD_CHARS
from digest.domain import ORDER, Actor, Role, Session, User
from digest.errors import Conflict, Invalid, NotFound, Unavailable
from digest.web.auth import CurrentSession, CurrentUser, set_session_cookie
from digest.web.deps import Site, SiteDep, client
from digest.web.routes.signin import HOME

MAX_ID = 2**31 - 1
PAGE = 50
UserId = Annotated[int, Path(gt=0, le=MAX_ID)]
Lists = Annotated[list[str] | None, Form(max_length=64)]
router = APIRouter()
DONE = ("invited", "changed", "deactivated", "reactivated", "reset", "required", "unrequired", "resent")


def _lists(chosen: list[str] | None) -> tuple[str, ...] | None:
    picked = tuple(sorted({c for c in chosen or [] if c}))
    return picked or None  # none ticked: every list


def _page(site: Site, request: Request, user: User, session: Session, status: int = 200, **context: Any) -> HTMLResponse:
    done = request.query_params.get("done", "")
    return site.newsroom.render(
        request, "users.html", user=user, session=session, status=status, page="users",
        users=site.accounts.users(), roles=ORDER, lists=[lst.id for lst in site.settings.lists],
        done=done if done in DONE else "", form=context.pop("form", {}), **context,
    )  # fmt: skip


def _done(what: str) -> RedirectResponse:
    return RedirectResponse(f"/admin/users?done={what}", status_code=303)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> HTMLResponse:
    return _page(site, request, user, session)


@router.post("/admin/users/invite", response_model=None)
def invite(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    email: Annotated[str, Form(max_length=320)] = "",
    name: Annotated[str, Form(max_length=320)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    lists: Lists = None,
) -> Response:
    form = {"email": email, "name": name, "role": role, "lists": lists or []}
    try:
        if role not in Role.__members__.values():
            raise Invalid("choose one of the roles")
        site.users.invite(email, name, Role(role), _lists(lists), Actor.of(user, client(request)),
                          site.settings.base_url, site.invitation_mail)  # fmt: skip
    except (Invalid, Conflict, Unavailable) as exc:  # Unavailable: the mail did not go out
        return _page(site, request, user, session, 422, error=str(exc), form=form)
    return _done("invited")


def _act(site: Site, request: Request, user: User, session: Session, done: str, act: Callable[[Actor], object]) -> Response:
    try:
        act(Actor.of(user, client(request)))
    except (Invalid, Conflict, NotFound, Unavailable) as exc:
        return _page(site, request, user, session, 404 if isinstance(exc, NotFound) else 409, error=str(exc))
    return _done(done)


@router.post("/admin/users/second-factors", response_model=None)
def require_second_factors(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession,
    required: Annotated[str, Form(max_length=8)] = "",
) -> Response:  # fmt: skip
    on = required == "yes"
    return _act(site, request, user, session, "required" if on else "unrequired",
                lambda actor: site.users.require_second_factors(on, actor))  # fmt: skip


@router.post("/admin/users/{user_id}", response_model=None)
def change(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, user_id: UserId,
    role: Annotated[str, Form(max_length=16)] = "", lists: Lists = None,
) -> Response:  # fmt: skip
    if role not in Role.__members__.values():
        return _page(site, request, user, session, 422, error="choose one of the roles")
    return _act(site, request, user, session, "changed",
                lambda actor: site.users.change(user_id, Role(role), _lists(lists), actor))  # fmt: skip


@router.post("/admin/users/{user_id}/deactivate", response_model=None)
def deactivate(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, user_id: UserId) -> Response:
    return _act(site, request, user, session, "deactivated", lambda actor: site.users.deactivate(user_id, actor))


@router.post("/admin/users/{user_id}/reactivate", response_model=None)
def reactivate(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, user_id: UserId) -> Response:
    return _act(site, request, user, session, "reactivated", lambda actor: site.users.reactivate(user_id, actor))


@router.post("/admin/users/{user_id}/second-factor/reset", response_model=None)
def reset_second_factor(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, user_id: UserId
) -> Response:
    return _act(site, request, user, session, "reset",
                lambda actor: site.accounts.reset_second_factor(user_id, actor))  # fmt: skip


@router.post("/admin/users/{user_id}/invite", response_model=None)
def resend(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, user_id: UserId) -> Response:
    return _act(site, request, user, session, "resent", lambda actor: site.users.send_invitation(
        user_id, actor, site.settings.base_url, site.invitation_mail))  # fmt: skip


# --- the invitation's page: public, the token is the key ---------------------------------------------


def _welcome(site: Site, request: Request, token: str, status: int = 200, **context: Any) -> HTMLResponse:
    form_csrf, fresh = site.pages.csrf.field(request)
    page = site.newsroom.render(request, "welcome.html", status=status, form_csrf=form_csrf, token=token,
                                least=PASSWORD_CHARS[0], **context)  # fmt: skip
    if fresh:
        site.pages.csrf.set_cookie(page, fresh)
    return page


Token = Annotated[str, Path(max_length=500)]


@router.get("/welcome/{token}", response_class=HTMLResponse)
def welcome_page(site: SiteDep, request: Request, token: Token) -> HTMLResponse:
    try:
        invited = site.users.invited(token)
    except Invalid as exc:
        return _welcome(site, request, token, 410, refused=str(exc))
    return _welcome(site, request, token, invited=invited)


@router.post("/welcome/{token}", response_model=None)
def set_password(
    site: SiteDep, request: Request, token: Token,
    password: Annotated[str, Form(max_length=1000)] = "", again: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:  # fmt: skip
    try:
        invited = site.users.invited(token)
    except Invalid as exc:
        return _welcome(site, request, token, 410, refused=str(exc))
    if not site.pages.csrf.valid(request, csrf):
        return _welcome(site, request, token, 403, invited=invited, error="This form has expired: try again.")
    try:
        started = site.users.accept(token, password, again, client(request))
    except Invalid as exc:
        return _welcome(site, request, token, 422, invited=invited, error=str(exc))
    to = "/signin/code" if started.second_factor_due else ("/account" if started.second_factor_setup_due else HOME)
    response = RedirectResponse(to, status_code=303)
    set_session_cookie(response, started.token, site.secure)
    return response


# --- the audit log ------------------------------------------------------------------------------------


def _day(text: str, name: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{name}: a date as YYYY-MM-DD") from None


Text = Annotated[str, Query(max_length=200)]


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession,
    who: Annotated[str, Query(max_length=12)] = "", action: Text = "", object_type: Text = "",
    object_id: Text = "", since: Text = "", until: Text = "",
    before: Annotated[int | None, Query(gt=0, le=MAX_ID)] = None,
) -> HTMLResponse:  # fmt: skip
    given = {"who": int(who) if who.isdigit() and 0 < int(who) <= MAX_ID else "", "action": action.strip(), "object_type": object_type.strip(),
             "object_id": object_id.strip(), "since": since, "until": until}  # fmt: skip
    entries, error, status = [], "", 200
    try:
        start, end = _day(since, "From"), _day(until, "To")
        entries = audit.entries(
            site.engine, user_id=given["who"] or None, action_prefix=given["action"] or None,
            object_type=given["object_type"] or None, object_id=given["object_id"] or None,
            since=start, until=end + timedelta(days=1) if end else None, before_id=before, limit=PAGE + 1,
        )  # fmt: skip
    except Invalid as exc:
        error, status = str(exc), 422
    more = len(entries) > PAGE
    entries = entries[:PAGE]
    query = urlencode([(k, str(v)) for k, v in given.items() if v])
    return site.newsroom.render(
        request, "audit.html", user=user, session=session, status=status, page="audit", entries=entries,
        given=given, error=error, users=site.accounts.users(),
        next_page=f"/admin/audit?{query}{'&' if query else ''}before={entries[-1].id}" if more else "",
        first_page=f"/admin/audit?{query}" if before else "",
    )  # fmt: skip
