"""A subscriber's preferences: which lists (the public ones and their own), their language, their time
zone (lists with `local_time` send at their hour in it), whether their opens and clicks may be
tracked (digest.deliver.readers), leave all. Ticking a double opt-in list mails
its confirmation: the membership waits for the link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from digest.audience import preferences
from digest.web.deps import Site, SiteDep, client
from digest.web.i18n import CONSENT_WORDING, LANGUAGE_NAMES, language_of, time_zones, translator
from subscribers.errors import InvalidValue
from subscribers.preferences import Preferences
from subscribers.tokens import InvalidToken

NO_ZONE = "none"  # the option "not set": an empty value would read as no value at all
router = APIRouter()


def preferences_page(
    site: Site,
    request: Request,
    token: str,
    shown: Preferences,
    *,
    saved: bool = False,
    notes: tuple[str, ...] = (),
    status: int = 200,
) -> HTMLResponse:
    sub = shown.subscriber
    first_list = next((lst for lst in shown.lists if lst.id in shown.receiving), None)
    return site.pages.render(
        request,
        "preferences.html",
        language_of(sub.language, first_list.language if first_list else None),
        "preferences_title",
        status=status,
        brand=first_list,  # the page wears the theme of the first list the person receives
        email=sub.email,
        lists=shown.lists,
        receiving=shown.receiving,
        pending=shown.pending,
        languages=LANGUAGE_NAMES,
        timezone=sub.timezone or NO_ZONE,
        no_zone=NO_ZONE,
        zones=time_zones(sub.timezone),
        tracking=sub.tracking,
        action=f"/p/{token}",
        saved=saved,
        notes=notes,
    )


@router.get("/p/{token}", response_class=HTMLResponse)
def show_preferences(site: SiteDep, request: Request, token: str) -> HTMLResponse:
    try:
        return preferences_page(site, request, token, preferences.preferences(site.audience, token))
    except InvalidToken:
        return site.pages.invalid_link(request)


@router.post("/p/{token}", response_class=HTMLResponse)
def save_preferences(
    site: SiteDep,
    request: Request,
    token: str,
    lists: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies form defaults)
    language: Annotated[str | None, Form()] = None,
    timezone: Annotated[str | None, Form()] = None,
    action: Annotated[str | None, Form()] = None,
    no_tracking: Annotated[str | None, Form()] = None,  # the box "don't track my opens and clicks"
    csrf: Annotated[str | None, Form()] = None,
) -> HTMLResponse:
    pages = site.pages
    if not pages.csrf.valid(request, csrf):
        return pages.form_expired(request, language_of(language))
    try:
        saved = preferences.save(
            site.audience,
            token,
            lists=lists,
            language=language,
            timezone="" if timezone == NO_ZONE else timezone,
            leave_all=action == "leave_all",
            tracking=no_tracking is None,
            origin=client(request),
            wording=CONSENT_WORDING,
        )
    except InvalidToken:
        return pages.invalid_link(request)
    except InvalidValue as exc:  # the time zone (a forged form's): nothing was saved
        shown = preferences.preferences(site.audience, token)
        note = translator(language_of(language, shown.subscriber.language))(
            "invalid_timezone", zone=exc.value
        )
        return preferences_page(site, request, token, shown, notes=(note,), status=422)
    tr = translator(language_of(language, saved.preferences.subscriber.language))
    notes = tuple(tr("send_failed") for _ in saved.unsent)
    return preferences_page(site, request, token, saved.preferences, saved=True, notes=notes)
