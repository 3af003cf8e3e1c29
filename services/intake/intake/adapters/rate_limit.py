"""A small in-process rate limiter keyed by client address (fixed windows).

Not slowapi: slowapi's decorator counts every request, while a citizen lookup must count
only failures (a citizen checking their own complaint all day is fine; guessing tokens is
not), and its storage calls are synchronous. Per process: with N replicas behind a
balancer a client gets up to N times the allowance, which still ends guessing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(self, limit: int, window_s: float, *, now: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s, self._now = limit, window_s, now
        self._windows: dict[str, tuple[float, int]] = {}

    def retry_after(self, key: str) -> int | None:
        """Seconds until `key` may try again, or None if it is under its limit now."""
        start, count = self._current(key)
        if count < self.limit:
            return None
        return max(1, math.ceil(start + self.window_s - self._now()))

    def add(self, key: str) -> None:
        start, count = self._current(key)
        self._windows[key] = (start, count + 1)
        if len(self._windows) > 100_000:
            self._forget_expired()

    def hit(self, key: str) -> int | None:
        """Count one attempt unless over the limit; returns the retry-after when refused."""
        wait = self.retry_after(key)
        if wait is None:
            self.add(key)
        return wait

    def _current(self, key: str) -> tuple[float, int]:
        now = self._now()
        start, count = self._windows.get(key, (now, 0))
        return (now, 0) if now - start >= self.window_s else (start, count)

    def _forget_expired(self) -> None:
        now = self._now()
        self._windows = {k: v for k, v in self._windows.items() if now - v[0] < self.window_s}
