"""The JSON API's gate (digest.web.auth.authorize calls it for a rule with a token scope): the
`Authorization: Bearer` token, its scope, and a rate limit per token, a fixed window kept in this
process. No token or a bad one is 401, a token without the scope 403, too many requests 429 with
Retry-After; the errors become problem details (digest.web.problems)."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from fastapi import HTTPException, Request

from digest.accounts.tokens import ApiTokens, grants
from digest.domain import Actor, ApiToken

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="digest"'}


@dataclass(frozen=True)
class RateLimit:
    requests: int = 600  # per token per window
    window: float = 60.0  # seconds


class Windows:
    """Requests per token in the current fixed window."""

    def __init__(self, limit: RateLimit):
        self.limit = limit
        self._seen: dict[int, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def take(self, token_id: int) -> float | None:
        """None when the request may go; else the seconds until the window ends."""
        now = time.monotonic()
        with self._lock:
            start, count = self._seen.get(token_id, (now, 0))
            if now - start >= self.limit.window:
                start, count = now, 0
            if count >= self.limit.requests:
                return self.limit.window - (now - start)
            self._seen[token_id] = (start, count + 1)
            return None


class Bearer:
    def __init__(self, tokens: ApiTokens, limit: RateLimit):
        self.tokens = tokens
        self.windows = Windows(limit)

    def check(self, request: Request, scope: str) -> ApiToken:
        kind, _, secret = request.headers.get("authorization", "").partition(" ")
        if kind.lower() != "bearer" or not secret.strip():
            raise HTTPException(401, "this request needs an API token: Authorization: Bearer <token>", CHALLENGE)
        token = self.tokens.authenticate(secret.strip())
        if token is None:
            raise HTTPException(401, "this API token is unknown or was revoked", CHALLENGE)
        if not grants(token, scope):
            raise HTTPException(403, f"this API token lacks the scope {scope}")
        wait = self.windows.take(token.id)
        if wait is not None:
            limit = self.windows.limit
            raise HTTPException(429, f"more than {limit.requests} requests in {limit.window:g} s with this token",
                                {"Retry-After": str(max(1, math.ceil(wait)))})  # fmt: skip
        request.state.token = token
        return token


def current_token(request: Request) -> ApiToken:
    """The token of an API route (authorize has checked it)."""
    token: ApiToken = request.state.token
    return token


def token_actor(request: Request) -> Actor:
    """Who acts through an API route, as the change log and the audit log name them: the token."""
    token = current_token(request)
    where = request.client.host if request.client else None
    return Actor(f"API token {token.name} (#{token.id})", None, where)
