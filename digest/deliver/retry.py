"""When to try a transient failure again: exponential back-off with jitter, or the provider's own
reset time for a rate limit; a bounded number of times, after which the caller defers the rows."""

from __future__ import annotations

import random

from digest.config import RetrySettings


class Transient(Exception):
    """A failure worth retrying: 5xx, a timeout, a dropped connection, a 4xx reply from a relay."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RateLimited(Transient):
    """The provider said how long to wait (429 with X-RateLimit-Reset). Does not use up an attempt."""

    def __init__(self, reason: str, wait: float):
        super().__init__(reason)
        self.wait = max(0.0, wait)


class Retrying:
    """One call's retry budget. `next_wait(exc)` is the pause before the next try, or None to give up."""

    def __init__(self, policy: RetrySettings, rng: random.Random | None = None):
        self.policy = policy
        self.failures = 0
        self.rate_limited_for = 0.0
        self.rng = rng or random.Random()

    def next_wait(self, exc: Transient) -> float | None:
        if isinstance(exc, RateLimited):
            if self.rate_limited_for + exc.wait > self.policy.max_rate_limit_wait:
                return None
            self.rate_limited_for += exc.wait
            return exc.wait + self.rng.uniform(0, 0.05)  # reset times are whole seconds; do not stampede
        self.failures += 1
        if self.failures >= self.policy.attempts:
            return None
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2.0 ** (self.failures - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)
