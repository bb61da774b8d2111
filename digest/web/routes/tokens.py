"""The admin console's API tokens (digest.accounts.tokens, the service `digest tokens` calls): every
token with its scopes, when it was made and by whom, when last used, and whether revoked; a token made
with a name and scopes, its secret shown once on the page that answers the form (never again: only
its hash is kept); a token revoked. Each is audited by the service."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from digest.domain import RESOURCES, Actor, Session, User
from digest.errors import Conflict, Invalid
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import Site, SiteDep, client

MAX_ID = 2**31 - 1
router = APIRouter()


def _page(
    site: Site, request: Request, user: User, session: Session, status: int = 200, **context: Any
) -> HTMLResponse:
    revoked = request.query_params.get("done") == "revoked"
    page = site.newsroom.render(
        request, "tokens.html", user=user, session=session, status=status, page="tokens",
        tokens=site.api_tokens.all(), resources=RESOURCES, revoked=revoked, form=context.pop("form", {}), **context,
    )  # fmt: skip
    page.headers["Cache-Control"] = "no-store"  # the page that shows a secret is kept nowhere
    return page


@router.get("/admin/tokens", response_class=HTMLResponse)
def tokens_page(site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession) -> HTMLResponse:
    return _page(site, request, user, session)


@router.post("/admin/tokens", response_class=HTMLResponse)
def create(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    name: Annotated[str, Form(max_length=200)] = "",
    scopes: Annotated[list[str] | None, Form(max_length=32)] = None,
) -> HTMLResponse:
    chosen = [s for s in scopes or [] if s]
    try:
        made = site.api_tokens.create(name, chosen, Actor.of(user, client(request)))
    except Invalid as exc:
        return _page(site, request, user, session, 422, error=str(exc), form={"name": name, "scopes": chosen})
    return _page(site, request, user, session, made=made)


@router.post("/admin/tokens/{token_id}/revoke", response_model=None)
def revoke(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    token_id: Annotated[int, Path(gt=0, le=MAX_ID)],
) -> Response:
    try:
        site.api_tokens.revoke(token_id, Actor.of(user, client(request)))
    except Conflict as exc:
        return _page(site, request, user, session, 409, error=str(exc))
    return RedirectResponse("/admin/tokens?done=revoked", status_code=303)
