"""Signed, purpose-scoped tokens for links in mail (unsubscribe, confirm, preferences).

A subscriber's token carries their id, the list, and their nonce (a random value stored on the
subscriber): it acts only while the subscriber holding that id has that nonce, so a link never
acts on anyone but the person it was mailed to (see subscribers.service.token_holder). Links made
before nonces existed carry none; their payload is [id, list].
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadSignature, Serializer, SignatureExpired, Signer, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, want_bytes

from subscribers.errors import Invalid

# review: an edition id, for its editors; click: a story link of an edition (edition id, item id), signed
# once per edition; reader: one recipient's copy (edition id, delivery id), signed once per recipient
PURPOSES = ("unsubscribe", "confirm", "preferences", "review", "click", "reader")


def new_nonce() -> str:
    """A subscriber's token nonce: 72 random bits, 12 URL-safe characters."""
    return secrets.token_urlsafe(9)


@dataclass(frozen=True)
class Claim:
    """What a genuine token says: whom (a subscriber id, or an edition id for review), which list,
    the subscriber's nonce (None in links made before nonces), and when it was signed."""

    subject_id: int
    list_id: str | None
    nonce: str | None
    signed_at: datetime


class InvalidToken(Invalid):
    """A token that is forged, damaged, meant for another purpose, or expired.

    An expired token's signature was good, so its payload can still be trusted to say whom it was for:
    `claim` is set then, so the page can offer a new link.
    """

    def __init__(self, reason: str, expired: bool = False, claim: Claim | None = None):
        super().__init__(reason)
        self.expired = expired
        self.claim = claim


class _Serializer(URLSafeTimedSerializer):
    """itsdangerous's URL-safe timed tokens, the same bytes for the same payload and time, made at
    twice the speed: a send signs two links for every recipient. Its signer is made once, not for
    every token; the HMAC runs on hashlib's SHA-1 (the C path of hmac, where itsdangerous's lazy
    default takes the pure-Python one); and there is no try at zlib, which shortens a payload of a
    few dozen bytes only when it repeats itself (an id and a random nonce do not). Loading is
    itsdangerous's own: a compressed token still loads, and itsdangerous loads ours."""

    def __init__(self, secret_key: str, salt: str):
        super().__init__(secret_key, salt=salt, signer_kwargs={"digest_method": hashlib.sha1})
        self._signer = super().make_signer(self.salt)

    def make_signer(self, salt: str | bytes | None = None) -> Signer:
        return self._signer if salt is None or want_bytes(salt) == self.salt else super().make_signer(salt)

    def dump_payload(self, obj: Any) -> bytes:
        return base64_encode(Serializer.dump_payload(self, obj))


class Tokens:
    def __init__(self, secret_key: str):
        if not secret_key:
            raise ValueError("a signing secret is required")
        self.secret_key = secret_key
        # one serializer per purpose, made once: a send signs two links for every recipient
        self._serializers = {p: _Serializer(secret_key, salt=f"digest.{p}") for p in PURPOSES}

    def _serializer(self, purpose: str) -> URLSafeTimedSerializer:
        if purpose not in PURPOSES:
            raise ValueError(f"unknown token purpose {purpose!r}")
        return self._serializers[purpose]

    def sign(self, purpose: str, subject_id: int, list_id: str | None = None, nonce: str | None = None) -> str:
        payload = [subject_id, list_id] if nonce is None else [subject_id, list_id, nonce]
        return self._serializer(purpose).dumps(payload)

    def sign_ids(self, purpose: str, *ids: int) -> str:
        """A token that carries ids alone, for links bound to no person (a click link, a reader's copy)."""
        return self._serializer(purpose).dumps(list(ids))

    def verify_ids(self, purpose: str, token: str, count: int) -> tuple[int, ...]:
        """The `count` ids a sign_ids token of this purpose carries; InvalidToken for any other token."""
        try:
            payload = self._serializer(purpose).loads(token)
        except (BadSignature, ValueError, TypeError):
            raise InvalidToken("this link is not valid") from None
        if not (isinstance(payload, list) and len(payload) == count and all(type(i) is int for i in payload)):
            raise InvalidToken("this link is not valid")
        return tuple(payload)

    def verify(self, purpose: str, token: str, max_age: int | None = None) -> Claim:
        serializer = self._serializer(purpose)
        try:
            payload, signed_at = serializer.loads(token, max_age=max_age, return_timestamp=True)
        except SignatureExpired as exc:
            if exc.payload is None:
                raise InvalidToken("this link is not valid") from None
            claim = _unpack(serializer.load_payload(exc.payload), exc.date_signed)
            raise InvalidToken("this link has expired", True, claim) from None
        except (BadSignature, ValueError, TypeError):
            raise InvalidToken("this link is not valid") from None
        return _unpack(payload, signed_at)


def _unpack(payload: object, signed_at: datetime | None) -> Claim:
    try:
        if not isinstance(payload, list) or len(payload) not in (2, 3):
            raise ValueError("not a token payload")
        subject_id, list_id, nonce = (payload + [None])[:3]
        if not (nonce is None or isinstance(nonce, str)):
            raise ValueError("not a token payload")
        return Claim(
            int(subject_id),
            None if list_id is None else str(list_id),
            nonce,
            signed_at or datetime.now(UTC),
        )
    except (TypeError, ValueError):
        raise InvalidToken("this link is not valid") from None
