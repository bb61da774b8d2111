"""A subscriber's preferences: which lists (the public ones and their own), their language, leave all.
Ticking a double opt-in list mails its confirmation: the membership waits for the link."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from digest.web.deps import Site, SiteDep, client
from digest.web.i18n import CONSENT_WORDING, LANGUAGE_NAMES, language_of, translator
from subscribers import preferences
from subscribers.models import MailingList
from subscribers.service import memberships, token_holder, unsubscribe_all
from subscribers.tokens import Claim, InvalidToken

log = logging.getLogger("digest.web")
router = APIRouter()


def preferences_target(site: Site, token: str) -> Claim | None:
    try:
        return site.tokens.verify("preferences", token)
    except InvalidToken:
        return None


def preferences_page(
    site: Site, request: Request, token: str, claim: Claim, *, saved: bool = False, notes: tuple[str, ...] = ()
) -> HTMLResponse | None:
    with site.engine.connect() as conn:
        sub = token_holder(conn, claim)
        if sub is None or sub.id is None:
            return None
        sid = sub.id
        lists = preferences.choosable(conn, sid)
        held = {ms.list_id: ms.status for ms in memberships(conn, sid)}
    receiving = {list_id for list_id, status in held.items() if status in preferences.RECEIVING}
    first_list = next((lst.language for lst in lists if lst.id in receiving), None)
    return site.pages.render(
        request,
        "preferences.html",
        language_of(sub.language, first_list),
        "preferences_title",
        email=sub.email,
        lists=lists,
        receiving=receiving,
        pending={list_id for list_id, status in held.items() if status == "pending"},
        languages=LANGUAGE_NAMES,
        action=f"/p/{token}",
        saved=saved,
        notes=notes,
    )


@router.get("/p/{token}", response_class=HTMLResponse)
def show_preferences(site: SiteDep, request: Request, token: str) -> HTMLResponse:
    claim = preferences_target(site, token)
    page = preferences_page(site, request, token, claim) if claim is not None else None
    return page or site.pages.invalid_link(request)


@router.post("/p/{token}", response_class=HTMLResponse)
def save_preferences(
    site: SiteDep,
    request: Request,
    token: str,
    lists: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies form defaults)
    language: Annotated[str | None, Form()] = None,
    action: Annotated[str | None, Form()] = None,
    csrf: Annotated[str | None, Form()] = None,
) -> HTMLResponse:
    pages = site.pages
    claim = preferences_target(site, token)
    if claim is None:
        return pages.invalid_link(request)
    if not pages.csrf.valid(request, csrf):
        return pages.form_expired(request, language_of(language))
    origin = client(request)
    to_confirm: list[MailingList] = []
    with site.engine.begin() as conn:
        sub = token_holder(conn, claim)
        if sub is None or sub.id is None:
            return pages.invalid_link(request)
        if action == "leave_all":
            unsubscribe_all(conn, sub.id, method="preferences", origin=origin)
        else:
            to_confirm = preferences.save(conn, sub, set(lists), language, origin=origin, wording=CONSENT_WORDING)
    notes = []
    for lst in to_confirm:  # pending until the link is used: ticking a box confirms nothing
        try:
            site.send_confirmation(lst, sub.id, sub.nonce, sub.email)
        except Exception:
            log.warning("confirmation for list %s not sent", lst.id, exc_info=True)
            notes.append(translator(language_of(language, sub.language))("send_failed"))
    page = preferences_page(site, request, token, claim, saved=True, notes=tuple(notes))
    return page or pages.invalid_link(request)
