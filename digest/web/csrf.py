"""CSRF protection of the human forms: a random nonce in a SameSite cookie, signed into the form.

The RFC 8058 one-click POST is exempt by design: it carries no cookie and holds its own signed token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from digest.domain import Session

COOKIE = "digest_csrf"
FIELD = "csrf"
MAX_AGE = 2 * 3600


class Csrf:
    def __init__(self, secret: str, *, secure: bool):
        self._signer = URLSafeTimedSerializer(secret, salt="digest.csrf")
        self._secure = secure

    def _nonce(self, request: Request) -> str | None:
        value = request.cookies.get(COOKIE, "")
        return value if 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum() else None

    def field(self, request: Request) -> tuple[str, str | None]:
        """The hidden field's value, and a new cookie value when the browser has none yet."""
        nonce = self._nonce(request)
        fresh = None
        if nonce is None:
            nonce = fresh = secrets.token_urlsafe(24)
        return self._signer.dumps(nonce), fresh

    def set_cookie(self, response: Response, nonce: str) -> None:
        response.set_cookie(
            COOKIE, nonce, max_age=MAX_AGE, httponly=True, samesite="strict", secure=self._secure, path="/"
        )

    def has_cookie(self, request: Request) -> bool:
        """Whether the browser sent the cookie back (it does not when cookies are blocked)."""
        return self._nonce(request) is not None

    def valid(self, request: Request, field: str | None) -> bool:
        nonce = self._nonce(request)
        if not field or nonce is None:
            return False
        try:
            signed = self._signer.loads(field, max_age=MAX_AGE)
        except BadSignature:
            return False
        return isinstance(signed, str) and hmac.compare_digest(signed, nonce)


def csrf_token(secret_key: str, session: Session) -> str:
    """A signed-in session's CSRF token (the newsroom's forms and htmx requests carry it): bound to
    the session, so it is worth nothing anywhere else."""
    return hmac.new(secret_key.encode(), f"csrf:{session.id}".encode(), hashlib.sha256).hexdigest()
