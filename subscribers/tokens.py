"""Signed, purpose-scoped tokens for links in mail (unsubscribe, confirm, preferences)."""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

PURPOSES = ("unsubscribe", "confirm", "preferences")


class InvalidToken(Exception):
    def __init__(self, reason: str, expired: bool = False):
        super().__init__(reason)
        self.expired = expired


class Tokens:
    def __init__(self, secret_key: str):
        if not secret_key:
            raise ValueError("a signing secret is required")
        self._secret = secret_key

    def _serializer(self, purpose: str) -> URLSafeTimedSerializer:
        if purpose not in PURPOSES:
            raise ValueError(f"unknown token purpose {purpose!r}")
        return URLSafeTimedSerializer(self._secret, salt=f"digest.{purpose}")

    def sign(self, purpose: str, subscriber_id: int, list_id: str | None = None) -> str:
        return self._serializer(purpose).dumps([subscriber_id, list_id])

    def verify(self, purpose: str, token: str, max_age: int | None = None) -> tuple[int, str | None]:
        try:
            subscriber_id, list_id = self._serializer(purpose).loads(token, max_age=max_age)
        except SignatureExpired:
            raise InvalidToken("this link has expired", expired=True) from None
        except (BadSignature, ValueError, TypeError):
            raise InvalidToken("this link is not valid") from None
        return int(subscriber_id), list_id
