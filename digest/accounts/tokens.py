"""The JSON API's bearer tokens: created and revoked by admins (both audit-logged), each with scopes,
read or write per resource (a write scope grants the resource's read too). The secret is shown once,
when the token is made: the store keeps only its sha256, so a leaked database authenticates no one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from digest.accounts import audit
from digest.domain import SCOPES, Actor, ApiToken
from digest.errors import Conflict, Invalid, NotFound
from digest.store import tokens as store

PREFIX = "dgt_"  # so a token is recognisable in a leaked file, and by secret scanners
USED_TOUCH = timedelta(minutes=1)  # last_used_at is written at most this often


@dataclass(frozen=True)
class Created:
    token: ApiToken
    secret: str  # the bearer token itself: shown once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scopes(scopes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise Invalid(f"unknown scope {unknown[0]!r}; the scopes are {', '.join(SCOPES)}")
    if not scopes:
        raise Invalid(f"a token needs at least one scope: {', '.join(SCOPES)}")
    return tuple(dict.fromkeys(scopes))


def grants(token: ApiToken, scope: str) -> bool:
    """Whether the token may do what `scope` names; `<resource>:write` includes `<resource>:read`."""
    resource, _, access = scope.partition(":")
    return scope in token.scopes or (access == "read" and f"{resource}:write" in token.scopes)


class ApiTokens:
    def __init__(self, engine: Engine):
        self.engine = engine

    def create(self, name: str, scopes: list[str] | tuple[str, ...], actor: Actor) -> Created:
        name = " ".join(name.split())
        if not 1 <= len(name) <= 200:
            raise Invalid("a token's name needs 1 to 200 characters")
        chosen = check_scopes(scopes)
        secret = PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            token = store.insert_token(conn, name=name, secret_hash=_digest(secret), scopes=chosen,
                                       at=datetime.now(UTC), created_by=actor.name)  # fmt: skip
            audit.record(conn, actor, "api-token.create", "api-token", token.id, {"name": name, "scopes": list(chosen)})
        return Created(token, secret)

    def all(self) -> list[ApiToken]:
        with self.engine.connect() as conn:
            return store.all_tokens(conn)

    def revoke(self, token_id: int, actor: Actor) -> ApiToken:
        """Refuse the token from now on (it stays listed, revoked); Conflict if it was already."""
        at = datetime.now(UTC)
        with self.engine.begin() as conn:
            token = store.token_by_id(conn, token_id)
            if token is None:
                raise NotFound(f"no API token #{token_id}")
            if token.revoked_at is not None:
                raise Conflict(f"API token #{token_id} was revoked already")
            store.update_token(conn, token_id, revoked_at=at)
            audit.record(conn, actor, "api-token.revoke", "api-token", token_id, {"name": token.name})
            found = store.token_by_id(conn, token_id)
        assert found is not None
        return found

    def authenticate(self, secret: str) -> ApiToken | None:
        """The live token a bearer secret is; None for an unknown or revoked one."""
        if not secret.startswith(PREFIX) or len(secret) > 200:
            return None
        with self.engine.connect() as conn:
            token = store.token_by_hash(conn, _digest(secret))
        if token is None or token.revoked_at is not None:
            return None
        at = datetime.now(UTC)
        if token.last_used_at is None or at - token.last_used_at >= USED_TOUCH:
            with self.engine.begin() as conn:
                store.update_token(conn, token.id, last_used_at=at)
        return token
