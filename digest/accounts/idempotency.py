"""`Idempotency-Key` on the JSON API's creating requests: the first answer to a key is kept (per token,
in the database, so every serving process sees it, for KEEP) and given again to a retry with the same
body; the same key with another body is refused (Invalid), and while the first request runs a second
one is told to wait (Conflict). A request whose process died before it answered leaves its key taken
for ABANDONED at most; then the key may be used again. A refused request keeps nothing: the client
may correct it and retry with the same key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from digest.errors import Conflict, Invalid
from digest.store import answers as store

KEEP = timedelta(days=1)
ABANDONED = timedelta(minutes=2)  # a key taken this long ago with no answer: its request died
MAX_KEY = 200
HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    replayed: bool  # given again, from the first request with this key


class Answers:
    def __init__(self, engine: Engine):
        self.engine = engine

    def once(self, token_id: int, key: str | None, body: Any, do: Callable[[], tuple[int, Any]]) -> Answer:
        """`do()` gives (status, JSON body); with a key, done at most once per token, key and body."""
        if not key:
            return Answer(*do(), replayed=False)
        if len(key) > MAX_KEY:
            raise Invalid(f"the {HEADER} header has {len(key)} characters: {MAX_KEY} at most")
        fingerprint = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            store.forget_before(conn, now - KEEP)
            kept = store.take(conn, token_id, key, fingerprint, now)
            if kept is not None and kept.status is None and now - kept.created_at > ABANDONED:
                store.forget(conn, token_id, key)
                kept = store.take(conn, token_id, key, fingerprint, now)
        if kept is not None:
            if kept.fingerprint != fingerprint:
                raise Invalid(f"this {HEADER} was used with another body: use a new key for a new request")
            if kept.status is None:
                raise Conflict(f"a request with this {HEADER} is still being answered")
            return Answer(kept.status, kept.answer, replayed=True)
        try:
            status, answer = do()
        except Exception:
            with self.engine.begin() as conn:
                store.forget(conn, token_id, key)
            raise
        with self.engine.begin() as conn:
            store.keep(conn, token_id, key, status, answer)
        return Answer(status, answer, replayed=False)
