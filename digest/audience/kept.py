"""Figures kept a while per process and per store: what a console page shows of a million rows is
counted at most every `ttl` seconds, and the page says it is that old at most. One count at a time
per key: the others wait for it and read it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

T = TypeVar("T")


class Kept(Generic[T]):
    def __init__(self, ttl: float):
        self.ttl = ttl
        self._kept: WeakKeyDictionary[Engine, dict[Hashable, tuple[float, T]]] = WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, engine: Engine, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept for the key, or `make()`'s when there is none younger than the ttl."""
        with self._lock:
            found = self._kept.get(engine, {}).get(key)
            if found is not None and time.monotonic() - found[0] < self.ttl:
                return found[1]
            value = make()  # under the lock: a second page waits for this count instead of making its own
            self._kept.setdefault(engine, {})[key] = (time.monotonic(), value)
            return value

    def forget(self, engine: Engine, key: Hashable) -> None:
        with self._lock:
            self._kept.get(engine, {}).pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
