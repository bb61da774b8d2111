"""The public pages: subscribe, confirm (double opt-in), unsubscribe (RFC 8058 one-click too), preferences.

Every page that changes something does so on POST only, so mail scanners that fetch links change nothing.
Links carry signed, purpose-scoped tokens; a forged, damaged or foreign one gets 400 and changes nothing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Connection, Engine, update
from starlette.middleware.base import RequestResponseEndpoint
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from digest.deliver.notices import NoticeError, SendNotice
from digest.links import Links
from digest.render.notices import Notice, NoticeFor
from subscribers import optin
from subscribers import tables as t
from subscribers.addresses import InvalidAddress, NotDeliverable, Utf8Refusal
from subscribers.models import MailingList, Subscriber
from subscribers.service import (
    all_lists,
    get_list,
    is_suppressed,
    membership_status,
    memberships,
    set_status,
    token_holder,
    unsubscribe_all,
)
from subscribers.tokens import Claim, InvalidToken, Tokens

from .csrf import Csrf
from .i18n import CONSENT_WORDING, LANGUAGE_NAMES, language_of, translator

log = logging.getLogger("digest.web")
CONFIRM_DAYS = 7  # how long a confirmation link stays valid

MAX_BODY = 64 * 1024
_TOKEN_PATH = re.compile(r"^/(u|p|confirm)/[^/?\s]+")


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413, whether announced by Content-Length or chunked."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            return await PlainTextResponse("request body too large", status_code=413)(scope, receive, send)
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:  # a chunked body that outgrows the limit
                raise HTTPException(413, "request body too large")
            return message

        await self.app(scope, counted, send)


class RedactTokens(logging.Filter):
    """Keeps the signed tokens of /u/, /p/ and /confirm/ out of uvicorn's access log: each one is a key."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            args = list(record.args)
            args[2] = _TOKEN_PATH.sub(r"/\1/[token]", record.args[2])
            record.args = tuple(args)
        return True


ONE_CLICK = "One-Click"


@dataclass(frozen=True)
class WebConfig:
    base_url: str
    secret_key: str
    send_notice: SendNotice
    notice_mail: NoticeFor
    confirm_days: int = CONFIRM_DAYS
    limits: optin.SubscribeLimits = optin.SubscribeLimits()
    utf8_refusal: Utf8Refusal | None = None  # why the delivery cannot carry a non-ASCII local part


class _Pages:
    """Renders the pages, in the language asked for, with a CSRF field where there is a form."""

    def __init__(self, env: Environment, csrf: Csrf):
        self.env = env
        self.csrf = csrf

    def render(
        self, request: Request, template: str, lang: str, title_key: str, *, status: int = 200, **context: Any
    ) -> HTMLResponse:
        lang = language_of(lang)
        tr = translator(lang)
        field, fresh = self.csrf.field(request)
        html = self.env.get_template(template).render(
            t=tr, lang=lang, title=tr(title_key, **context.pop("title_values", {})), csrf=field, **context
        )
        response = HTMLResponse(html, status_code=status)
        if fresh:
            self.csrf.set_cookie(response, fresh)
        return response

    def message(
        self, request: Request, lang: str, title_key: str, *lines: str, status: int = 200, **ctx: Any
    ) -> HTMLResponse:
        return self.render(request, "message.html", lang, title_key, status=status, lines=list(lines), **ctx)


def create_app(engine: Engine, config: WebConfig) -> FastAPI:
    tokens = Tokens(config.secret_key)
    links = Links(config.base_url, tokens)
    env = Environment(
        loader=PackageLoader("digest.web", "templates"), autoescape=select_autoescape(default=True)
    )
    pages = _Pages(env, Csrf(config.secret_key, secure=config.base_url.startswith("https://")))
    max_age = config.confirm_days * 86400
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    app.add_middleware(BodyLimit, limit=MAX_BODY)

    @app.middleware("http")
    async def protective_headers(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"  # the URL holds a token
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        )
        return response

    def client(request: Request) -> str | None:
        return request.client.host if request.client else None

    def invalid_link(request: Request, lang: str = "en") -> HTMLResponse:
        tr = translator(lang)
        return pages.message(request, lang, "invalid_link_title", tr("invalid_link_text"), status=400)

    def form_expired(request: Request, lang: str) -> HTMLResponse:
        return pages.message(
            request, lang, "form_expired_title", translator(lang)("form_expired"), status=403
        )

    def send_notice(kind: Notice, lst: MailingList, email: str, values: dict[str, str]) -> None:
        mail = config.notice_mail(kind, lst, values)
        config.send_notice(email, mail.subject, mail.text, mail.html, list_id=lst.id)

    def send_confirmation(lst: MailingList, subscriber_id: int, nonce: str | None, email: str) -> None:
        send_notice("confirm", lst, email, {"confirm_url": links.confirm(subscriber_id, lst.id, nonce)})

    # --- subscribe -------------------------------------------------------------------------------

    def subscribe_form(
        request: Request, lst: MailingList, *, error: str = "", email: str = "", name: str = ""
    ) -> HTMLResponse:
        return pages.render(
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

    @app.get("/subscribe/{list_id}", response_class=HTMLResponse)
    def subscribe_page(request: Request, list_id: str) -> HTMLResponse:
        with engine.connect() as conn:
            lst = get_list(conn, list_id)
        if lst is None:
            return pages.message(request, "en", "invalid_link_title", translator("en")("no_list"), status=404)
        return subscribe_form(request, lst)

    @app.post("/subscribe/{list_id}", response_class=HTMLResponse)
    def subscribe(
        request: Request,
        list_id: str,
        email: Annotated[str, Form(max_length=320)] = "",
        name: Annotated[str, Form(max_length=200)] = "",
        csrf: Annotated[str | None, Form()] = None,
    ) -> HTMLResponse:
        with engine.connect() as conn:
            lst = get_list(conn, list_id)
        if lst is None:
            return pages.message(request, "en", "invalid_link_title", translator("en")("no_list"), status=404)
        tr = translator(lst.language)
        if not pages.csrf.valid(request, csrf):
            return form_expired(request, lst.language)
        sub = Subscriber(email=email, name=name.strip() or None, language=language_of(lst.language))
        try:
            with engine.begin() as conn:
                result = optin.request_subscription(
                    conn,
                    lst,
                    sub,
                    method="form",
                    origin=client(request),
                    wording=f"{CONSENT_WORDING}/{language_of(lst.language)}",
                    limits=config.limits,
                    utf8_refusal=config.utf8_refusal,
                )
        except NotDeliverable:
            error = tr("address_not_deliverable", email=email.strip())
            return subscribe_form(request, lst, error=error, email=email, name=name)
        except InvalidAddress as exc:
            return subscribe_form(request, lst, error=tr("invalid_email", reason=exc), email=email, name=name)
        if result.outcome is optin.Outcome.RATE_LIMITED:
            return pages.message(
                request, lst.language, "rate_limited_title", tr("rate_limited_text"), status=429
            )
        if result.outcome is optin.Outcome.CONFIRMATION_NEEDED and result.subscriber_id is not None:
            try:
                send_confirmation(lst, result.subscriber_id, result.nonce, email.strip())
            except Exception as exc:  # the membership stays pending; the person may ask again
                if isinstance(exc, NoticeError) and exc.refused:  # ...but not at this address
                    log.warning("confirmation for list %s refused: %s", lst.id, exc)
                    error = tr("address_refused", email=email.strip())
                    return subscribe_form(request, lst, error=error, email=email, name=name)
                log.warning("confirmation for list %s not sent", lst.id, exc_info=True)
                return pages.message(
                    request, lst.language, "check_inbox_title", tr("send_failed"), status=503
                )
        # The same answer whatever the address's state, so the form tells no one who is subscribed.
        if lst.double_opt_in:
            return pages.message(
                request, lst.language, "check_inbox_title", tr("check_inbox_text", list=lst.name)
            )
        return pages.message(request, lst.language, "thanks_title", tr("thanks_text", list=lst.name))

    # --- confirm ---------------------------------------------------------------------------------

    def expired_page(request: Request, token: str, lst: MailingList) -> HTMLResponse:
        tr = translator(lst.language)
        return pages.message(
            request,
            lst.language,
            "expired_title",
            tr("expired_text", days=config.confirm_days),
            status=410,
            action=f"/confirm/{token}/renew",
            button=tr("resend_button"),
        )

    def confirm_target(token: str) -> tuple[Claim, MailingList, bool] | None:
        """(what the token says, its list, expired) for a genuine confirm token, else None."""
        try:
            claim = tokens.verify("confirm", token, max_age=max_age)
            expired = False
        except InvalidToken as exc:
            if not exc.expired or exc.claim is None:
                return None
            claim, expired = exc.claim, True
        if claim.list_id is None:
            return None
        with engine.connect() as conn:
            lst = get_list(conn, claim.list_id)
        return (claim, lst, expired) if lst else None

    @app.get("/confirm/{token}", response_class=HTMLResponse)
    def confirm_page(request: Request, token: str) -> HTMLResponse:
        target = confirm_target(token)
        if target is None:
            return invalid_link(request)
        claim, lst, expired = target
        tr = translator(lst.language)
        with engine.connect() as conn:
            sub = token_holder(conn, claim)
            status = membership_status(conn, sub.id, lst.id) if sub and sub.id else None
        if status == "confirmed":
            return pages.message(request, lst.language, "confirmed_title", tr("already_confirmed_text"))
        if status != "pending" or sub is None:
            return pages.message(request, lst.language, "confirm_title", tr("not_pending_text"), status=409)
        if expired:
            return expired_page(request, token, lst)
        return pages.message(
            request,
            lst.language,
            "confirm_title",
            tr("confirm_text", list=lst.name, email=sub.email),
            action=f"/confirm/{token}",
            button=tr("confirm_button"),
        )

    @app.post("/confirm/{token}", response_class=HTMLResponse)
    def confirm(request: Request, token: str, csrf: Annotated[str | None, Form()] = None) -> HTMLResponse:
        target = confirm_target(token)
        if target is None:
            return invalid_link(request)
        claim, lst, expired = target
        tr = translator(lst.language)
        if not pages.csrf.valid(request, csrf):
            return form_expired(request, lst.language)
        if expired:
            return expired_page(request, token, lst)
        with engine.begin() as conn:
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
            "unsubscribe_url": links.unsubscribe(sid, lst.id, sub.nonce),
            "preferences_url": links.preferences(sid, sub.nonce),
        }
        try:
            send_notice("welcome", lst, sub.email, welcome)
        except Exception:  # the subscription holds; only the welcome is missing
            log.warning("welcome for list %s not sent", lst.id, exc_info=True)
        return pages.message(
            request,
            lst.language,
            "confirmed_title",
            tr("confirmed_text", list=lst.name, email=sub.email),
            preferences=links.preferences(sid, sub.nonce),
        )

    @app.post("/confirm/{token}/renew", response_class=HTMLResponse)
    def renew(request: Request, token: str, csrf: Annotated[str | None, Form()] = None) -> HTMLResponse:
        target = confirm_target(token)
        if target is None:
            return invalid_link(request)
        claim, lst, _ = target
        tr = translator(lst.language)
        if not pages.csrf.valid(request, csrf):
            return form_expired(request, lst.language)
        with engine.begin() as conn:
            sub = token_holder(conn, claim)
            result = (
                optin.renew(conn, sub.id, lst.id, origin=client(request), limits=config.limits)
                if sub and sub.id
                else optin.Subscription(optin.Outcome.NOT_PENDING)
            )
        if result.outcome is optin.Outcome.RATE_LIMITED:
            return pages.message(
                request, lst.language, "rate_limited_title", tr("rate_limited_text"), status=429
            )
        if result.outcome is optin.Outcome.ALREADY_CONFIRMED:
            return pages.message(request, lst.language, "confirmed_title", tr("already_confirmed_text"))
        if result.outcome is not optin.Outcome.CONFIRMATION_NEEDED or sub is None or sub.id is None:
            return pages.message(request, lst.language, "confirm_title", tr("not_pending_text"), status=409)
        try:
            send_confirmation(lst, sub.id, sub.nonce, sub.email)
        except Exception as exc:
            if isinstance(exc, NoticeError) and exc.refused:  # asking again will not help
                log.warning("renewed confirmation for list %s refused: %s", lst.id, exc)
                text = tr("address_refused", email=sub.email)
                return pages.message(request, lst.language, "check_inbox_title", text, status=422)
            log.warning("renewed confirmation for list %s not sent", lst.id, exc_info=True)
            return pages.message(request, lst.language, "check_inbox_title", tr("send_failed"), status=503)
        return pages.message(
            request, lst.language, "check_inbox_title", tr("check_inbox_text", list=lst.name)
        )

    # --- unsubscribe -----------------------------------------------------------------------------

    def unsubscribe_target(token: str) -> tuple[Claim, MailingList] | None:
        try:
            claim = tokens.verify("unsubscribe", token)
        except InvalidToken:
            return None
        if claim.list_id is None:
            return None
        with engine.connect() as conn:
            lst = get_list(conn, claim.list_id)
        return (claim, lst) if lst else None

    @app.get("/u/{token}", response_class=HTMLResponse)
    def unsubscribe_page(request: Request, token: str) -> HTMLResponse:
        """One button, nothing else: a scanner fetching the link unsubscribes nobody."""
        target = unsubscribe_target(token)
        if target is None:
            return invalid_link(request)
        claim, lst = target
        with engine.connect() as conn:
            sub = token_holder(conn, claim)
        if sub is None or sub.id is None:  # erased since: there is nothing left to stop
            tr = translator(lst.language)
            return pages.message(request, lst.language, "unsubscribed_title", tr("unsubscribed_all_text"))
        return pages.render(
            request,
            "unsubscribe.html",
            lst.language,
            "unsubscribe_title",
            list=lst,
            email=sub.email,
            action=f"/u/{token}",
            preferences=links.preferences(sub.id, sub.nonce),
        )

    @app.post("/u/{token}")
    def unsubscribe(
        request: Request,
        token: str,
        one_click: Annotated[str | None, Form(alias="List-Unsubscribe")] = None,
        action: Annotated[str | None, Form()] = None,
        csrf: Annotated[str | None, Form()] = None,
    ) -> Response:
        """RFC 8058: `List-Unsubscribe=One-Click` unsubscribes at once: 200, no redirect, no cookie needed.

        Anything else is the page's own form, which needs its CSRF field.
        """
        target = unsubscribe_target(token)
        if target is None:
            return invalid_link(request)
        claim, lst = target
        tr = translator(lst.language)
        rfc8058 = one_click == ONE_CLICK
        if not rfc8058 and not pages.csrf.valid(request, csrf):
            return form_expired(request, lst.language)
        everything = not rfc8058 and action == "all"
        with engine.begin() as conn:
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
        preferences = links.preferences(sub.id, sub.nonce) if sub and sub.id else None
        return pages.message(request, lst.language, "unsubscribed_title", text, preferences=preferences)

    # --- preferences -----------------------------------------------------------------------------

    def preferences_target(token: str) -> Claim | None:
        try:
            return tokens.verify("preferences", token)
        except InvalidToken:
            return None

    def preferences_page(
        request: Request, token: str, claim: Claim, *, saved: bool = False
    ) -> HTMLResponse | None:
        with engine.connect() as conn:
            sub = token_holder(conn, claim)
            if sub is None or sub.id is None:
                return None
            sid = sub.id
            lists = all_lists(conn)
            held = memberships(conn, sid)
        receiving = {ms.list_id for ms in held if ms.status in ("pending", "confirmed")}
        first_list = next((lst.language for lst in lists if lst.id in receiving), None)
        return pages.render(
            request,
            "preferences.html",
            language_of(sub.language, first_list),
            "preferences_title",
            email=sub.email,
            lists=lists,
            receiving=receiving,
            languages=LANGUAGE_NAMES,
            action=f"/p/{token}",
            saved=saved,
        )

    @app.get("/p/{token}", response_class=HTMLResponse)
    def preferences(request: Request, token: str) -> HTMLResponse:
        claim = preferences_target(token)
        page = preferences_page(request, token, claim) if claim is not None else None
        return page or invalid_link(request)

    @app.post("/p/{token}", response_class=HTMLResponse)
    def save_preferences(
        request: Request,
        token: str,
        lists: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies form defaults)
        language: Annotated[str | None, Form()] = None,
        action: Annotated[str | None, Form()] = None,
        csrf: Annotated[str | None, Form()] = None,
    ) -> HTMLResponse:
        claim = preferences_target(token)
        if claim is None:
            return invalid_link(request)
        if not pages.csrf.valid(request, csrf):
            return form_expired(request, language_of(language))
        origin = client(request)
        with engine.begin() as conn:
            sub = token_holder(conn, claim)
            if sub is None or sub.id is None:
                return invalid_link(request)
            if action == "leave_all":
                unsubscribe_all(conn, sub.id, method="preferences", origin=origin)
            else:
                _apply_preferences(conn, sub, set(lists), language, origin)
        return preferences_page(request, token, claim, saved=True) or invalid_link(request)

    return app


def _apply_preferences(
    conn: Connection, sub: Subscriber, wanted: set[str], language: str | None, origin: str | None
) -> None:
    """Join the ticked lists, leave the others. The link was mailed to the address, so ticking is consent."""
    assert sub.id is not None
    if language in LANGUAGE_NAMES and language != sub.language:
        conn.execute(update(t.subscribers).where(t.subscribers.c.id == sub.id).values(language=language))
    suppressed = is_suppressed(conn, sub.email)
    for lst in all_lists(conn):
        status = membership_status(conn, sub.id, lst.id)
        if lst.id in wanted and status != "confirmed" and not suppressed:
            set_status(
                conn,
                sub.id,
                lst.id,
                "confirmed",
                method="preferences",
                origin=origin,
                wording=CONSENT_WORDING,
            )
        elif lst.id not in wanted and status in ("pending", "confirmed"):
            set_status(conn, sub.id, lst.id, "unsubscribed", method="preferences", origin=origin)
