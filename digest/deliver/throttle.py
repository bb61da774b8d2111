"""Sending limits: a steady rate (messages per second) and a sliding window (N per period).

A `Throttle` keeps one process's sends to the limits; a `SharedThrottle` keeps every worker's sends
through one provider to them together: the same reckoning, its state in the database, locked while
each worker reserves its batch's place (execution: celery)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from sqlalchemy import Engine

from digest.config import ThrottleSettings
from digest.store.throttles import locked_state, save_state


class Throttle:
    def __init__(
        self,
        limits: ThrottleSettings,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        self.next_free = 0.0  # when the rate limit lets the next message go
        self.sent: deque[tuple[float, int]] = deque()  # (when, how many) within the window

    def largest_batch(self, wanted: int) -> int:
        """A batch no bigger than one second's worth or one window's worth, so bursts stay small."""
        if self.limits.per_second:
            wanted = min(wanted, max(1, int(self.limits.per_second)))
        if self.limits.window_limit:
            wanted = min(wanted, self.limits.window_limit)
        return wanted

    def delay(self, n: int) -> float:
        """Seconds to wait before `n` messages may go; reserves their place."""
        now = self.clock()
        start = max(now, self.next_free) if self.limits.per_second else now
        if self.limits.window_limit:
            window = self.limits.window_seconds
            while self.sent and self.sent[0][0] <= start - window:
                self.sent.popleft()
            in_window = sum(k for _, k in self.sent)
            for when, k in self.sent:  # wait until enough of the window has slid past
                if in_window + n <= self.limits.window_limit:
                    break
                start = max(start, when + window)
                in_window -= k
            self.sent.append((start, n))
        if self.limits.per_second:
            self.next_free = start + n / self.limits.per_second
        return start - now

    def acquire(self, n: int) -> None:
        wait = self.delay(n)
        if wait > 0:
            self.sleep(wait)


class SharedThrottle(Throttle):
    """The limits for all the workers sending under `name` (the backend): each reservation reads and
    writes the state in one transaction, on the wall clock every worker shares."""

    def __init__(self, engine: Engine, name: str, limits: ThrottleSettings) -> None:
        super().__init__(limits, clock=time.time)
        self.engine, self.name = engine, name

    def delay(self, n: int) -> float:
        if not (self.limits.per_second or self.limits.window_limit):
            return 0.0
        with self.engine.begin() as conn:
            state = locked_state(conn, self.name)
            self.next_free = float(state.get("next_free", 0.0))
            self.sent = deque((float(when), int(k)) for when, k in state.get("sent", []))
            wait = super().delay(n)
            save_state(conn, self.name, {"next_free": self.next_free, "sent": [list(s) for s in self.sent]})
        return wait
