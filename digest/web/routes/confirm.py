"""Confirming a subscription takes a button press (a POST), so link scanners confirm nobody; the
welcome mail follows. An expired link explains itself and offers a new one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from digest.audience import joining
from digest.audience.joining import Confirmation, Confirmed
from digest.deliver.notices import NoticeError
from digest.web.deps import Site, SiteDep, client
from digest.web.i18n import translator
from subscribers.models import MailingList
from subscribers.optin import Outcome
from subscribers.tokens import InvalidToken

router = APIRouter()


def confirmation_page(
    site: Site, request: Request, token: str, lst: MailingList, done: Confirmed
) -> HTMLResponse:
    """The page for where a confirmation link stands."""
    tr, pages, lang = translator(lst.language), site.pages, lst.language
    if done.state is Confirmation.ASK:
        text = tr("confirm_text", list=lst.name, email=done.email)
        return pages.message(
            request,
            lang,
            "confirm_title",
            text,
            action=f"/confirm/{token}",
            button=tr("confirm_button"),
            brand=lst,
        )
    if done.state is Confirmation.CONFIRMED:
        text = tr("confirmed_text", list=lst.name, email=done.email)
        return pages.message(
            request, lang, "confirmed_title", text, preferences=done.preferences_url, brand=lst
        )
    if done.state is Confirmation.ALREADY_CONFIRMED:
        return pages.message(request, lang, "confirmed_title", tr("already_confirmed_text"), brand=lst)
    if done.state is Confirmation.EXPIRED:
        text = tr("expired_text", days=site.audience.confirm_days)
        return pages.message(
            request,
            lang,
            "expired_title",
            text,
            status=410,
            action=f"/confirm/{token}/renew",
            button=tr("resend_button"),
            brand=lst,
        )
    return pages.message(request, lang, "confirm_title", tr("not_pending_text"), status=409, brand=lst)


@router.get("/confirm/{token}", response_class=HTMLResponse)
def confirm_page(site: SiteDep, request: Request, token: str) -> HTMLResponse:
    try:
        link = joining.confirm_link(site.audience, token)
    except InvalidToken:
        return site.pages.invalid_link(request)
    return confirmation_page(site, request, token, link.lst, joining.confirmation(site.audience, link))


@router.post("/confirm/{token}", response_class=HTMLResponse)
def confirm(
    site: SiteDep, request: Request, token: str, csrf: Annotated[str | None, Form()] = None
) -> HTMLResponse:
    try:
        link = joining.confirm_link(site.audience, token)
    except InvalidToken:
        return site.pages.invalid_link(request)
    if not site.pages.csrf.valid(request, csrf):
        return site.pages.form_expired(request, link.lst.language)
    return confirmation_page(
        site, request, token, link.lst, joining.confirm(site.audience, link, origin=client(request))
    )


@router.post("/confirm/{token}/renew", response_class=HTMLResponse)
def renew(
    site: SiteDep, request: Request, token: str, csrf: Annotated[str | None, Form()] = None
) -> HTMLResponse:
    pages = site.pages
    try:
        link = joining.confirm_link(site.audience, token)
    except InvalidToken:
        return pages.invalid_link(request)
    lst = link.lst
    tr = translator(lst.language)
    if not pages.csrf.valid(request, csrf):
        return pages.form_expired(request, lst.language)
    try:
        outcome = joining.renew(site.audience, link, origin=client(request))
    except NoticeError as exc:
        if exc.refused:  # asking again will not help
            text = tr("address_refused", email=link.holder.email if link.holder else "")
            return pages.message(request, lst.language, "check_inbox_title", text, status=422, brand=lst)
        return pages.message(
            request, lst.language, "check_inbox_title", tr("send_failed"), status=503, brand=lst
        )
    if outcome is Outcome.RATE_LIMITED:
        return pages.message(
            request, lst.language, "rate_limited_title", tr("rate_limited_text"), status=429, brand=lst
        )
    if outcome is Outcome.ALREADY_CONFIRMED:
        return confirmation_page(site, request, token, lst, Confirmed(Confirmation.ALREADY_CONFIRMED))
    if outcome is not Outcome.CONFIRMATION_NEEDED:
        return confirmation_page(site, request, token, lst, Confirmed(Confirmation.NOT_PENDING))
    return pages.message(
        request, lst.language, "check_inbox_title", tr("check_inbox_text", list=lst.name), brand=lst
    )
