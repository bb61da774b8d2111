"""The JSON API's tokens: rows <-> digest.domain.ApiToken. Only a token's sha256 is stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from digest.domain import ApiToken
from digest.store.tables import api_tokens


def _token(row: Row[Any]) -> ApiToken:
    return ApiToken(row.id, row.name, tuple(row.scopes), row.created_at, row.created_by, row.revoked_at,
                    row.last_used_at)  # fmt: skip


def insert_token(conn: Connection, *, name: str, secret_hash: str, scopes: tuple[str, ...], at: datetime,
                 created_by: str) -> ApiToken:  # fmt: skip
    token_id = conn.execute(
        insert(api_tokens)
        .values(name=name, secret_hash=secret_hash, scopes=list(scopes), created_at=at, created_by=created_by)
        .returning(api_tokens.c.id)
    ).scalar_one()
    found = token_by_id(conn, token_id)
    assert found is not None  # inserted just now
    return found


def token_by_id(conn: Connection, token_id: int) -> ApiToken | None:
    row = conn.execute(select(api_tokens).where(api_tokens.c.id == token_id)).first()
    return _token(row) if row else None


def token_by_hash(conn: Connection, secret_hash: str) -> ApiToken | None:
    row = conn.execute(select(api_tokens).where(api_tokens.c.secret_hash == secret_hash)).first()
    return _token(row) if row else None


def all_tokens(conn: Connection) -> list[ApiToken]:
    return [_token(r) for r in conn.execute(select(api_tokens).order_by(api_tokens.c.id))]


def update_token(conn: Connection, token_id: int, **values: Any) -> None:
    """Set revoked_at or last_used_at."""
    conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(**values))
