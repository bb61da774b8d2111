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
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import RequestResponseEndpoint
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from digest.deliver.notices import NoticeError, SendNotice
from digest.links import Links
from digest.render.notices import Notice, NoticeFor
from digest.web.csrf import Csrf
from digest.web.i18n import CONSENT_WORDING, LANGUAGE_NAMES, accepted, language_of, translator
from subscribers import optin, preferences
from subscribers.addresses import InvalidAddress, NotDeliverable, Utf8Refusal
from subscribers.models import MAX_NAME, MailingList, Subscriber
from subscribers.service import (
    get_list,
    membership_status,
    memberships,
    set_status,
    token_holder,
    unsubscribe_all,
)
from subscribers.tokens import Claim, InvalidToken, Tokens

log = logging.getLogger("digest.web")
CONFIRM_DAYS = 7  # how long a confirmation link stays valid

MAX_BODY = 64 * 1024
_TOKEN_PATH = re.compile(r"^/(u|p|confirm|review)/[^/?\s]+")
# Paths answered to programs, not to readers: their errors stay JSON.
MACHINE_PATHS = ("/webhooks/", "/healthz")


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


class HeadAsGet:
    """HEAD is answered as GET is, headers and status alike, without the body (RFC 9110): uptime
    monitors and link checkers ask with HEAD, and FastAPI's routes only answer the methods they name."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class RedactTokens(logging.Filter):
    """Keeps the signed tokens of /u/, /p/, /confirm/ and /review/ out of uvicorn's access log: each one is a key."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            args = list(record.args)
            args[2] = _TOKEN_PATH.sub(r"/\1/[token]", record.args[2])
            record.args = tuple(args)
        return True


ONE_CLICK = "One-Click"
# The page a reader gets for an error status: (title, text) in their language.
ERROR_PAGES = {
    400: ("invalid_link_title", "invalid_link_text"),
    404: ("not_found_title", "not_found_text"),
    410: ("expired_title", "link_expired_text"),
}


def reader_language(request: Request) -> str:
    """The language of a page that belongs to no list or subscriber (a missing page, a damaged link):
    the one the browser asks for, if we have words for it, else English. Pages of a list use its own."""
    return language_of(accepted(request.headers.get("accept-language")))


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
    app.add_middleware(HeadAsGet)

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

    def error_page(request: Request, status: int, title_key: str, text_key: str) -> HTMLResponse:
        lang = reader_language(request)
        return pages.message(request, lang, title_key, translator(lang)(text_key), status=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """A reader gets a page in their language, whatever the error (404, 405, 410...)."""
        if request.url.path.startswith(MACHINE_PATHS):
            return await http_exception_handler(request, exc)
        default = ("error_title", "server_error_text" if exc.status_code >= 500 else "error_text")
        page = error_page(request, exc.status_code, *ERROR_PAGES.get(exc.status_code, default))
        page.headers.update(exc.headers or {})  # Allow, on a 405
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith(MACHINE_PATHS):
            return await request_validation_exception_handler(request, exc)
        return error_page(request, 400, "error_title", "error_text")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        """An unexpected failure: the reader gets a page; the traceback still goes to the log."""
        return error_page(request, 500, "error_title", "server_error_text")

    def client(request: Request) -> str | None:
        return request.client.host if request.client else None

    def invalid_link(request: Request) -> HTMLResponse:
        return error_page(request, 400, "invalid_link_title", "invalid_link_text")

    def no_list(request: Request) -> HTMLResponse:
        lang = reader_language(request)
        return pages.message(request, lang, "not_found_title", translator(lang)("no_list"), status=404)

    def form_expired(request: Request, lang: str) -> HTMLResponse:
        """A form whose CSRF check failed: without the cookie (blocked, or dropped since), say that it
        is needed; with it, the form is older than its signature allows."""
        if not pages.csrf.has_cookie(request):
            title, text = "cookies_needed_title", "cookies_needed"
        else:
            title, text = "form_expired_title", "form_expired"
        return pages.message(request, lang, title, translator(lang)(text), status=403)

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
            return no_list(request)
        return subscribe_form(request, lst)

    @app.post("/subscribe/{list_id}", response_class=HTMLResponse)
    def subscribe(
        request: Request,
        list_id: str,
        email: Annotated[str, Form()] = "",
        name: Annotated[str, Form()] = "",
        csrf: Annotated[str | None, Form()] = None,
    ) -> HTMLResponse:
        with engine.connect() as conn:
            lst = get_list(conn, list_id)
        if lst is None:
            return no_list(request)
        tr = translator(lst.language)
        if not pages.csrf.valid(request, csrf):
            return form_expired(request, lst.language)
        if len(name.strip()) > MAX_NAME:
            return subscribe_form(request, lst, error=tr("name_too_long", max=MAX_NAME), email=email, name=name)
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
            return subscribe_form(request, lst, error=tr("invalid_email", reason=exc.reason), email=email, name=name)
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
        request: Request, token: str, claim: Claim, *, saved: bool = False, notes: tuple[str, ...] = ()
    ) -> HTMLResponse | None:
        with engine.connect() as conn:
            sub = token_holder(conn, claim)
            if sub is None or sub.id is None:
                return None
            sid = sub.id
            lists = preferences.choosable(conn, sid)
            held = {ms.list_id: ms.status for ms in memberships(conn, sid)}
        receiving = {list_id for list_id, status in held.items() if status in preferences.RECEIVING}
        first_list = next((lst.language for lst in lists if lst.id in receiving), None)
        return pages.render(
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

    @app.get("/p/{token}", response_class=HTMLResponse)
    def show_preferences(request: Request, token: str) -> HTMLResponse:
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
        to_confirm: list[MailingList] = []
        with engine.begin() as conn:
            sub = token_holder(conn, claim)
            if sub is None or sub.id is None:
                return invalid_link(request)
            if action == "leave_all":
                unsubscribe_all(conn, sub.id, method="preferences", origin=origin)
            else:
                to_confirm = preferences.save(
                    conn, sub, set(lists), language, origin=origin, wording=CONSENT_WORDING
                )
        notes = []
        for lst in to_confirm:  # pending until the link is used: ticking a box confirms nothing
            try:
                send_confirmation(lst, sub.id, sub.nonce, sub.email)
            except Exception:
                log.warning("confirmation for list %s not sent", lst.id, exc_info=True)
                notes.append(translator(language_of(language, sub.language))("send_failed"))
        page = preferences_page(request, token, claim, saved=True, notes=tuple(notes))
        return page or invalid_link(request)

    return app
