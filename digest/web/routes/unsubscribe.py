"""Unsubscribing: the GET page shows one button (a scanner fetching the link unsubscribes nobody);
RFC 8058's one-click POST unsubscribes at once, with no cookie, no redirect; "from everything" too."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from digest.audience import leaving
from digest.web.deps import SiteDep, client
from digest.web.i18n import translator
from subscribers.tokens import InvalidToken

ONE_CLICK = "One-Click"
router = APIRouter()


@router.get("/u/{token}", response_class=HTMLResponse)
def unsubscribe_page(site: SiteDep, request: Request, token: str) -> HTMLResponse:
    try:
        link = leaving.unsubscribe_link(site.audience, token)
    except InvalidToken:
        return site.pages.invalid_link(request)
    lst = link.lst
    if link.holder is None:  # erased since: there is nothing left to stop
        tr = translator(lst.language)
        return site.pages.message(
            request, lst.language, "unsubscribed_title", tr("unsubscribed_all_text"), brand=lst
        )
    return site.pages.render(
        request,
        "unsubscribe.html",
        lst.language,
        "unsubscribe_title",
        list=lst,
        email=link.holder.email,
        action=f"/u/{token}",
        preferences=link.preferences_url,
        brand=lst,
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
    try:
        link = leaving.unsubscribe_link(site.audience, token)
    except InvalidToken:
        return pages.invalid_link(request)
    lst = link.lst
    tr = translator(lst.language)
    rfc8058 = one_click == ONE_CLICK
    if not rfc8058 and not pages.csrf.valid(request, csrf):
        return pages.form_expired(request, lst.language)
    everything = not rfc8058 and action == "all"
    leaving.leave(site.audience, link, everything=everything, one_click=rfc8058, origin=client(request))
    if rfc8058:
        return PlainTextResponse(tr("unsubscribed_text", list=lst.name))
    text = tr("unsubscribed_all_text") if everything else tr("unsubscribed_text", list=lst.name)
    return pages.message(
        request, lst.language, "unsubscribed_title", text, preferences=link.preferences_url, brand=lst
    )
