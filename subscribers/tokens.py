"""Signed, purpose-scoped tokens for links in mail (unsubscribe, confirm, preferences)."""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

PURPOSES = ("unsubscribe", "confirm", "preferences", "review")  # review: an edition id, for its editors


class InvalidToken(Exception):
    """A token that is forged, damaged, meant for another purpose, or expired.

    An expired token's signature was good, so its payload can still be trusted to say whom it was for:
    `subscriber_id` and `list_id` are set then, so the page can offer a new link.
    """

    def __init__(
        self, reason: str, expired: bool = False, subscriber_id: int | None = None, list_id: str | None = None
    ):
        super().__init__(reason)
        self.expired = expired
        self.subscriber_id = subscriber_id
        self.list_id = list_id


class Tokens:
    def __init__(self, secret_key: str):
        if not secret_key:
            raise ValueError("a signing secret is required")
        self.secret_key = secret_key
        # one serializer per purpose, made once: a send signs two links for every recipient
        self._serializers = {p: URLSafeTimedSerializer(secret_key, salt=f"digest.{p}") for p in PURPOSES}

    def _serializer(self, purpose: str) -> URLSafeTimedSerializer:
        if purpose not in PURPOSES:
            raise ValueError(f"unknown token purpose {purpose!r}")
        return self._serializers[purpose]

    def sign(self, purpose: str, subscriber_id: int, list_id: str | None = None) -> str:
        return self._serializer(purpose).dumps([subscriber_id, list_id])

    def verify(self, purpose: str, token: str, max_age: int | None = None) -> tuple[int, str | None]:
        serializer = self._serializer(purpose)
        try:
            payload = serializer.loads(token, max_age=max_age)
        except SignatureExpired as exc:
            if exc.payload is None:  # a timed serializer always sets it; never trust a token without one
                raise InvalidToken("this link is not valid") from None
            subscriber_id, list_id = _unpack(serializer.load_payload(exc.payload))
            raise InvalidToken("this link has expired", True, subscriber_id, list_id) from None
        except (BadSignature, ValueError, TypeError):
            raise InvalidToken("this link is not valid") from None
        return _unpack(payload)


def _unpack(payload: object) -> tuple[int, str | None]:
    if not isinstance(payload, list) or len(payload) != 2:
        raise InvalidToken("this link is not valid")
    try:
        subscriber_id, list_id = payload
        return int(subscriber_id), (None if list_id is None else str(list_id))
    except (TypeError, ValueError):
        raise InvalidToken("this link is not valid") from None
