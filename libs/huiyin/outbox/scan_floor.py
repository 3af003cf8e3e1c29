"""Where the relay's next poll of the outbox may start, so it does not wade through the past.

Marking a row published leaves a dead entry in the pending index until VACUUM reaches the
table. The relay's poll before this (no bound on the id) read every one of them:
`python -m bench.outbox_poll --poll before` grows to 44 ms per poll after 300,000 rows
published, while the bounded poll stays near 3 ms (500 rows fetched), from the floor and,
in that loop, even from zero (docs/benchmarks.md, session 9). The floor bounds the scan
whatever plan the server picks.

The floor is the highest id the relay published at least `lookback_s` ago. A row below
the floor that is still unpublished can only belong to a transaction that drew its id (ids
are drawn in time order) before that row did and stayed open longer than `lookback_s`;
every `sweep_every_s` a poll starts from zero and picks such rows up. Nothing is skipped
for good: a late row waits at most one sweep period.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class ScanFloor:
    def __init__(
        self, *, lookback_s: float, sweep_every_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._lookback, self._sweep_every, self._clock = lookback_s, sweep_every_s, clock
        self._published: deque[tuple[float, int]] = deque()  # (when, highest id), oldest first
        self._floor = 0
        self._last_sweep: float | None = None

    def next_poll(self) -> int:
        """The id the next poll starts above: 0 when a sweep is due (the first poll is one)."""
        now = self._clock()
        while self._published and now - self._published[0][0] >= self._lookback:
            self._floor = max(self._floor, self._published.popleft()[1])
        if self._last_sweep is None or now - self._last_sweep >= self._sweep_every:
            self._last_sweep = now
            return 0
        return self._floor

    def published(self, highest_id: int) -> None:
        self._published.append((self._clock(), highest_id))

    def reset(self) -> None:
        """The relay's lanes or connection changed: forget everything, sweep next."""
        self._published.clear()
        self._floor = 0
        self._last_sweep = None
