"""`Idempotency-Key` on the JSON API's creating requests: the first answer to a key is kept (per
token, in this process, for KEEP seconds) and given again to a retry with the same body; the same key
with another body is refused (422), and while the first request runs a second one waits its turn
(409). Without the header a request is simply done."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse

from digest.errors import Conflict, Invalid

KEEP = 24 * 3600.0
MOST = 10_000  # answers kept at most: the oldest go first
HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"


class Answers:
    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[int, str], tuple[float, str, int, Any] | None] = OrderedDict()
        self._lock = threading.Lock()

    def once(self, token_id: int, key: str | None, body: Any, do: Callable[[], tuple[int, Any]]) -> JSONResponse:
        """`do()` gives (status, JSON body); with a key, done at most once per key and body."""
        if not key:
            return JSONResponse(*reversed(do()))
        if len(key) > 200:
            raise Invalid(f"the {HEADER} header has {len(key)} characters: 200 at most")
        fingerprint = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        slot = (token_id, key)
        now = time.monotonic()
        with self._lock:
            while self._kept and (len(self._kept) > MOST or _expired(next(iter(self._kept.values())), now)):
                self._kept.popitem(last=False)
            if slot in self._kept:
                kept = self._kept[slot]
                if kept is None:
                    raise Conflict(f"a request with this {HEADER} is still being answered")
                _, was, status, answer = kept
                if was != fingerprint:
                    raise Invalid(f"this {HEADER} was used with another body: use a new key for a new request")
                return JSONResponse(answer, status_code=status, headers={REPLAYED: "true"})
            self._kept[slot] = None  # taken while it runs
        try:
            status, answer = do()
        except Exception:
            with self._lock:
                self._kept.pop(slot, None)  # a refusal is not kept: the client may correct and retry
            raise
        with self._lock:
            self._kept[slot] = (now, fingerprint, status, answer)
        return JSONResponse(answer, status_code=status)


def _expired(kept: tuple[float, str, int, Any] | None, now: float) -> bool:
    return kept is not None and now - kept[0] > KEEP
