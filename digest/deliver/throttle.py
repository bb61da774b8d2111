"""Sending limits: a steady rate (messages per second) and a sliding window (N per period)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from digest.config import ThrottleSettings


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
