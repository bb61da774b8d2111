"""Confirming a subscription takes a button press (a POST), so link scanners confirm nobody; the
welcome mail follows. An expired link explains itself and offers a new one."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from digest.deliver.notices import NoticeError
from digest.web.deps import Site, SiteDep, client
from digest.web.i18n import translator
from subscribers import optin
from subscribers.models import MailingList
from subscribers.service import get_list, membership_status, token_holder
from subscribers.tokens import Claim, InvalidToken

log = logging.getLogger("digest.web")
router = APIRouter()


def expired_page(site: Site, request: Request, token: str, lst: MailingList) -> HTMLResponse:
    tr = translator(lst.language)
    return site.pages.message(
        request,
        lst.language,
        "expired_title",
        tr("expired_text", days=site.confirm_days),
        status=410,
        action=f"/confirm/{token}/renew",
        button=tr("resend_button"),
    )


def confirm_target(site: Site, token: str) -> tuple[Claim, MailingList, bool] | None:
    """(what the token says, its list, expired) for a genuine confirm token, else None."""
    try:
        claim = site.tokens.verify("confirm", token, max_age=site.confirm_days * 86400)
        expired = False
    except InvalidToken as exc:
        if not exc.expired or exc.claim is None:
            return None
        claim, expired = exc.claim, True
    if claim.list_id is None:
        return None
    with site.engine.connect() as conn:
        lst = get_list(conn, claim.list_id)
    return (claim, lst, expired) if lst else None


@router.get("/confirm/{token}", response_class=HTMLResponse)
def confirm_page(site: SiteDep, request: Request, token: str) -> HTMLResponse:
    pages = site.pages
    target = confirm_target(site, token)
    if target is None:
        return pages.invalid_link(request)
    claim, lst, expired = target
    tr = translator(lst.language)
    with site.engine.connect() as conn:
        sub = token_holder(conn, claim)
        status = membership_status(conn, sub.id, lst.id) if sub and sub.id else None
    if status == "confirmed":
        return pages.message(request, lst.language, "confirmed_title", tr("already_confirmed_text"))
    if status != "pending" or sub is None:
        return pages.message(request, lst.language, "confirm_title", tr("not_pending_text"), status=409)
    if expired:
        return expired_page(site, request, token, lst)
    return pages.message(
        request,
        lst.language,
        "confirm_title",
        tr("confirm_text", list=lst.name, email=sub.email),
        action=f"/confirm/{token}",
        button=tr("confirm_button"),
    )


@router.post("/confirm/{token}", response_class=HTMLResponse)
def confirm(
    site: SiteDep, request: Request, token: str, csrf: Annotated[str | None, Form()] = None
) -> HTMLResponse:
    pages = site.pages
    target = confirm_target(site, token)
    if target is None:
        return pages.invalid_link(request)
    claim, lst, expired = target
    tr = translator(lst.language)
    if not pages.csrf.valid(request, csrf):
        return pages.form_expired(request, lst.language)
    if expired:
        return expired_page(site, request, token, lst)
    with site.engine.begin() as conn:
        sub = token_holder(conn, claim)
        result = (
            optin.confirm(conn, sub.id, lst.id, origin=client(request))
            if sub and sub.id
            else optin.ConfirmResult.NOT_PENDING
        )
    if result is optin.ConfirmResult.NOT_PENDING or sub is None or sub.id is None:
        return pages.message(request, lst.language, "confirm_title", tr("not_pending_text"), status=409)
    if result is optin.ConfirmResult.ALREADY_CONFIRMED:
        return pages.message(request, lst.language, "confirmed_title", tr("already_confirmed_text"))
    sid = sub.id
    welcome = {
        "unsubscribe_url": site.links.unsubscribe(sid, lst.id, sub.nonce),
        "preferences_url": site.links.preferences(sid, sub.nonce),
    }
    try:
        site.notices.send("welcome", lst, sub.email, welcome)
    except Exception:  # the subscription holds; only the welcome is missing
        log.warning("welcome for list %s not sent", lst.id, exc_info=True)
    return pages.message(
        request,
        lst.language,
        "confirmed_title",
        tr("confirmed_text", list=lst.name, email=sub.email),
        preferences=site.links.preferences(sid, sub.nonce),
    )


@router.post("/confirm/{token}/renew", response_class=HTMLResponse)
def renew(
    site: SiteDep, request: Request, token: str, csrf: Annotated[str | None, Form()] = None
) -> HTMLResponse:
    pages = site.pages
    target = confirm_target(site, token)
    if target is None:
        return pages.invalid_link(request)
    claim, lst, _ = target
    tr = translator(lst.language)
    if not pages.csrf.valid(request, csrf):
        return pages.form_expired(request, lst.language)
    with site.engine.begin() as conn:
        sub = token_holder(conn, claim)
        result = (
            optin.renew(conn, sub.id, lst.id, origin=client(request), limits=site.limits)
            if sub and sub.id
            else optin.Subscription(optin.Outcome.NOT_PENDING)
        )
    if result.outcome is optin.Outcome.RATE_LIMITED:
        return pages.message(request, lst.language, "rate_limited_title", tr("rate_limited_text"), status=429)
    if result.outcome is optin.Outcome.ALREADY_CONFIRMED:
        return pages.message(request, lst.language, "confirmed_title", tr("already_confirmed_text"))
    if result.outcome is not optin.Outcome.CONFIRMATION_NEEDED or sub is None or sub.id is None:
        return pages.message(request, lst.language, "confirm_title", tr("not_pending_text"), status=409)
    try:
        site.send_confirmation(lst, sub.id, sub.nonce, sub.email)
    except Exception as exc:
        if isinstance(exc, NoticeError) and exc.refused:  # asking again will not help
            log.warning("renewed confirmation for list %s refused: %s", lst.id, exc)
            text = tr("address_refused", email=sub.email)
            return pages.message(request, lst.language, "check_inbox_title", text, status=422)
        log.warning("renewed confirmation for list %s not sent", lst.id, exc_info=True)
        return pages.message(request, lst.language, "check_inbox_title", tr("send_failed"), status=503)
    return pages.message(request, lst.language, "check_inbox_title", tr("check_inbox_text", list=lst.name))
