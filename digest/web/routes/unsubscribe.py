"""Unsubscribing: the GET page shows one button (a scanner fetching the link unsubscribes nobody);
RFC 8058's one-click POST unsubscribes at once, with no cookie, no redirect; "from everything" too."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from digest.web.deps import Site, SiteDep, client
from digest.web.i18n import translator
from subscribers.models import MailingList
from subscribers.service import get_list, membership_status, set_status, token_holder, unsubscribe_all
from subscribers.tokens import Claim, InvalidToken

ONE_CLICK = "One-Click"
router = APIRouter()


def unsubscribe_target(site: Site, token: str) -> tuple[Claim, MailingList] | None:
    try:
        claim = site.tokens.verify("unsubscribe", token)
    except InvalidToken:
        return None
    if claim.list_id is None:
        return None
    with site.engine.connect() as conn:
        lst = get_list(conn, claim.list_id)
    return (claim, lst) if lst else None


@router.get("/u/{token}", response_class=HTMLResponse)
def unsubscribe_page(site: SiteDep, request: Request, token: str) -> HTMLResponse:
    target = unsubscribe_target(site, token)
    if target is None:
        return site.pages.invalid_link(request)
    claim, lst = target
    with site.engine.connect() as conn:
        sub = token_holder(conn, claim)
    if sub is None or sub.id is None:  # erased since: there is nothing left to stop
        tr = translator(lst.language)
        return site.pages.message(request, lst.language, "unsubscribed_title", tr("unsubscribed_all_text"))
    return site.pages.render(
        request,
        "unsubscribe.html",
        lst.language,
        "unsubscribe_title",
        list=lst,
        email=sub.email,
        action=f"/u/{token}",
        preferences=site.links.preferences(sub.id, sub.nonce),
    )


@router.post("/u/{token}")
def unsubscribe(
    site: SiteDep,
    request: Request,
    token: str,
    one_click: Annotated[str | None, Form(alias="List-Unsubscribe")] = None,
    action: Annotated[str | None, Form()] = None,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """RFC 8058: `List-Unsubscribe=One-Click` unsubscribes at once: 200, no redirect, no cookie needed.

    Anything else is the page's own form, which needs its CSRF field.
    """
    pages = site.pages
    target = unsubscribe_target(site, token)
    if target is None:
        return pages.invalid_link(request)
    claim, lst = target
    tr = translator(lst.language)
    rfc8058 = one_click == ONE_CLICK
    if not rfc8058 and not pages.csrf.valid(request, csrf):
        return pages.form_expired(request, lst.language)
    everything = not rfc8058 and action == "all"
    with site.engine.begin() as conn:
        sub = token_holder(conn, claim)
        if sub is not None and sub.id is not None:
            sid = sub.id
            if everything:
                unsubscribe_all(conn, sid, method="link", origin=client(request))
            elif membership_status(conn, sid, lst.id) in ("pending", "confirmed"):
                method = "one-click" if rfc8058 else "link"
                set_status(conn, sid, lst.id, "unsubscribed", method=method, origin=client(request))
    if rfc8058:
        return PlainTextResponse(tr("unsubscribed_text", list=lst.name))
    text = tr("unsubscribed_all_text") if everything else tr("unsubscribed_text", list=lst.name)
    preferences = site.links.preferences(sub.id, sub.nonce) if sub and sub.id else None
    return pages.message(request, lst.language, "unsubscribed_title", text, preferences=preferences)
