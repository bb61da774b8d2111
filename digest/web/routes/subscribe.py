"""The subscribe form: double opt-in mails a confirmation link; the answer is the same whatever the
address's state, so the form tells no one who is subscribed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from digest.audience import joining, lists
from digest.deliver.notices import NoticeError
from digest.editions import archive
from digest.web.deps import SiteDep, client
from digest.web.i18n import CONSENT_WORDING, language_of, translator
from subscribers.addresses import InvalidAddress, NotDeliverable
from subscribers.errors import InvalidValue, NotFound
from subscribers.models import MAX_NAME, MailingList
from subscribers.optin import Outcome

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
        archived=archive.has_archive(site.settings, lst.id),  # a link to its past editions
        action=f"/subscribe/{lst.id}",
        error=error,
        email=email,
        name=name,
        brand=lst,
    )


@router.get("/subscribe/{list_id}", response_class=HTMLResponse)
def subscribe_page(site: SiteDep, request: Request, list_id: str) -> HTMLResponse:
    try:
        lst = lists.mailing_list(site.audience, list_id)
    except NotFound:
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
    try:
        lst = lists.mailing_list(site.audience, list_id)
    except NotFound:
        return pages.no_list(request)
    tr = translator(lst.language)
    if not pages.csrf.valid(request, csrf):
        return pages.form_expired(request, lst.language)
    language = language_of(lst.language)  # the page's: the words the consent was given in
    try:
        outcome = joining.subscribe(
            site.audience,
            lst,
            email,
            name=name,
            language=language,
            origin=client(request),
            wording=f"{CONSENT_WORDING}/{language}",
        )
    except NotDeliverable:
        error = tr("address_not_deliverable", email=email.strip())
    except InvalidAddress as exc:
        error = tr("invalid_email", reason=exc.reason)
    except InvalidValue:  # the name, the only other field
        error = tr("name_too_long", max=MAX_NAME)
    except NoticeError as exc:  # the membership stays pending; the person may ask again...
        if not exc.refused:
            return pages.message(
                request, lst.language, "check_inbox_title", tr("send_failed"), status=503, brand=lst
            )
        error = tr("address_refused", email=email.strip())  # ...but not at this address
    else:
        if outcome is Outcome.RATE_LIMITED:
            return pages.message(
                request, lst.language, "rate_limited_title", tr("rate_limited_text"), status=429, brand=lst
            )
        if lst.double_opt_in:
            return pages.message(
                request, lst.language, "check_inbox_title", tr("check_inbox_text", list=lst.name), brand=lst
            )
        return pages.message(
            request, lst.language, "thanks_title", tr("thanks_text", list=lst.name), brand=lst
        )
    return subscribe_form(site, request, lst, error=error, email=email, name=name)
