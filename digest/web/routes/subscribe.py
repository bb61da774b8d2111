"""The subscribe form: double opt-in mails a confirmation link; the answer is the same whatever the
address's state, so the form tells no one who is subscribed."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from digest.deliver.notices import NoticeError
from digest.web.deps import SiteDep, client
from digest.web.i18n import CONSENT_WORDING, language_of, translator
from subscribers import optin
from subscribers.addresses import InvalidAddress, NotDeliverable
from subscribers.models import MAX_NAME, MailingList, Subscriber
from subscribers.service import get_list

log = logging.getLogger("digest.web")
router = APIRouter()


def subscribe_form(
    site: SiteDep, request: Request, lst: MailingList, *, error: str = "", email: str = "", name: str = ""
) -> HTMLResponse:
    return site.pages.render(
        request,
        "subscribe.html",
        lst.language,
        "subscribe_title",
        status=422 if error else 200,
        title_values={"list": lst.name},
        list=lst,
        action=f"/subscribe/{lst.id}",
        error=error,
        email=email,
        name=name,
    )


@router.get("/subscribe/{list_id}", response_class=HTMLResponse)
def subscribe_page(site: SiteDep, request: Request, list_id: str) -> HTMLResponse:
    with site.engine.connect() as conn:
        lst = get_list(conn, list_id)
    if lst is None:
        return site.pages.no_list(request)
    return subscribe_form(site, request, lst)


@router.post("/subscribe/{list_id}", response_class=HTMLResponse)
def subscribe(
    site: SiteDep,
    request: Request,
    list_id: str,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> HTMLResponse:
    pages = site.pages
    with site.engine.connect() as conn:
        lst = get_list(conn, list_id)
    if lst is None:
        return pages.no_list(request)
    tr = translator(lst.language)
    if not pages.csrf.valid(request, csrf):
        return pages.form_expired(request, lst.language)
    if len(name.strip()) > MAX_NAME:
        return subscribe_form(site, request, lst, error=tr("name_too_long", max=MAX_NAME), email=email, name=name)
    sub = Subscriber(email=email, name=name.strip() or None, language=language_of(lst.language))
    try:
        with site.engine.begin() as conn:
            result = optin.request_subscription(
                conn,
                lst,
                sub,
                method="form",
                origin=client(request),
                wording=f"{CONSENT_WORDING}/{language_of(lst.language)}",
                limits=site.limits,
                utf8_refusal=site.utf8_refusal,
            )
    except NotDeliverable:
        error = tr("address_not_deliverable", email=email.strip())
        return subscribe_form(site, request, lst, error=error, email=email, name=name)
    except InvalidAddress as exc:
        error = tr("invalid_email", reason=exc.reason)
        return subscribe_form(site, request, lst, error=error, email=email, name=name)
    if result.outcome is optin.Outcome.RATE_LIMITED:
        return pages.message(request, lst.language, "rate_limited_title", tr("rate_limited_text"), status=429)
    if result.outcome is optin.Outcome.CONFIRMATION_NEEDED and result.subscriber_id is not None:
        try:
            site.send_confirmation(lst, result.subscriber_id, result.nonce, email.strip())
        except Exception as exc:  # the membership stays pending; the person may ask again
            if isinstance(exc, NoticeError) and exc.refused:  # ...but not at this address
                log.warning("confirmation for list %s refused: %s", lst.id, exc)
                error = tr("address_refused", email=email.strip())
                return subscribe_form(site, request, lst, error=error, email=email, name=name)
            log.warning("confirmation for list %s not sent", lst.id, exc_info=True)
            return pages.message(request, lst.language, "check_inbox_title", tr("send_failed"), status=503)
    if lst.double_opt_in:
        return pages.message(request, lst.language, "check_inbox_title", tr("check_inbox_text", list=lst.name))
    return pages.message(request, lst.language, "thanks_title", tr("thanks_text", list=lst.name))
