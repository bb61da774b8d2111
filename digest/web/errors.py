"""The one place errors become HTTP answers. A reader gets a page in their language, whatever the
error; programs (webhooks, health checks) get JSON; the JSON API gets problem details (digest.web.problems). The error tree maps to statuses: NotFound 404,
Conflict 409, Invalid 422, Unavailable 503; anything unforeseen is a 500 page, its traceback logged."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from digest.errors import Conflict, DigestError, Invalid, NotFound, Unavailable
from digest.web.auth import SignInNeeded
from digest.web.pages import Pages
from digest.web.problems import is_api, problem, validation_errors

# Paths answered to programs, not to readers: their errors stay JSON.
MACHINE_PATHS = ("/webhooks/", "/healthz")
STATUS = ((NotFound, 404), (Conflict, 409), (Invalid, 422), (Unavailable, 503))


def status_of(exc: DigestError) -> int:
    return next((status for kind, status in STATUS if isinstance(exc, kind)), 400)


def install(app: FastAPI, pages: Pages) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api(request.url.path):
            return problem(exc.status_code, str(exc.detail), dict(exc.headers or {}))
        if request.url.path.startswith(MACHINE_PATHS):
            return await http_exception_handler(request, exc)
        page = pages.error(request, exc.status_code)
        page.headers.update(exc.headers or {})  # Allow, on a 405
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request.url.path):
            return problem(422, "the request does not validate", errors=validation_errors(exc.errors()))
        if request.url.path.startswith(MACHINE_PATHS):
            return await request_validation_exception_handler(request, exc)
        return pages.error(request, 400, "error_title", "error_text")

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, exc: SignInNeeded) -> Response:
        """To the sign-in page; htmx follows HX-Redirect instead of swapping a page into a fragment."""
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": exc.to})
        return RedirectResponse(exc.to, status_code=303)

    @app.exception_handler(DigestError)
    async def digest_error(request: Request, exc: DigestError) -> Response:
        status = status_of(exc)
        if is_api(request.url.path):
            return problem(status, str(exc))
        if request.url.path.startswith(MACHINE_PATHS):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return pages.error(request, status)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        """An unexpected failure: the reader gets a page; the traceback still goes to the log."""
        if is_api(request.url.path):
            return problem(500, "something went wrong on our side; it was logged")
        return pages.error(request, 500, "error_title", "server_error_text")
