"""What every response goes through: a bounded body, HEAD answered as GET, protective headers, and
an access log without the signed tokens that paths carry."""

from __future__ import annotations

import logging
import re

from fastapi import HTTPException
from fastapi.responses import PlainTextResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 64 * 1024
_TOKEN_PATH = re.compile(r"^/(u|p|confirm|review|c|o)/[^/?\s]+(?:\?r=[^\s&]*)?")  # c, o: and the reader's
PROTECTIVE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the URL holds a token
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # the readers' pages: their stylesheets from this site, a list's logo over https, no script
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src https:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
}


class BodyLimit:
    """Refuses request bodies over their limit with 413, whether announced by Content-Length or chunked:
    `limit` bytes, or more for the path prefixes in `larger` (a provider's batched webhook posts)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY, larger: dict[str, int] | None = None):
        self.app = app
        self.default = limit
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path: str = scope["path"]
        limit = next((n for prefix, n in self.larger.items() if path.startswith(prefix)), self.default)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > limit:
            return await PlainTextResponse("request body too large", status_code=413)(scope, receive, send)
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:  # a chunked body that outgrows the limit
                raise HTTPException(413, "request body too large")
            return message

        await self.app(scope, counted, send)


HEAD_ASKED = "digest.head"  # in the scope of a HEAD answered as GET: a link checker asked (digest.deliver.readers)


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

        await self.app({**scope, "method": "GET", HEAD_ASKED: True}, receive, headers_only)


class ProtectiveHeaders:
    """No caching, no referrer, no sniffing, no framing, no scripts: a header a route sets itself wins
    (the archive allows what an email needs)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in PROTECTIVE_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


class RedactTokens(logging.Filter):
    """Keeps the signed tokens of /u/, /p/, /confirm/ and /review/ out of uvicorn's access log: each one
    is a key; and those of /c/ and /o/, which name a reader's copy."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            args = list(record.args)
            args[2] = _TOKEN_PATH.sub(r"/\1/[token]", record.args[2])
            record.args = tuple(args)
        return True
