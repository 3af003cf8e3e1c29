"""Work that can wait gives the CPU to work that cannot: a consumer whose events nobody is
waiting on (hot-spot detection) pauses while a consumer in the same process that someone is
waiting on (the inbox) is taking records at a peak rate, and catches up when it has passed.

The signal is the urgent consumer's rate: the records it took over the last `window_s`. A
rate, not the size of its batches: batch sizes follow how fast the urgent consumer is (the
same arrivals make small batches when it is quick and large ones when it is slow), so a
size threshold stopped deferring exactly when the urgent path got faster, and the deferred
work then ran between its batches (bench/analysis.md). A deferring consumer waits at most
`max_wait_s` before it takes one batch anyway, so it always moves.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable


class Pressure:
    def __init__(
        self,
        *,
        busy_rate: float,
        max_wait_s: float,
        window_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.busy_rate, self.max_wait_s, self._window = busy_rate, max_wait_s, window_s
        self._clock = clock
        self._taken: deque[tuple[float, int]] = deque()  # (when, records) within the window
        self._in_window = 0

    def note_batch(self, records: int) -> None:
        """The urgent consumer took a batch of `records`."""
        now = self._clock()
        if records:
            self._taken.append((now, records))
            self._in_window += records
        self._forget_before(now - self._window)

    def _forget_before(self, cutoff: float) -> None:
        while self._taken and self._taken[0][0] <= cutoff:
            self._in_window -= self._taken.popleft()[1]

    @property
    def rate(self) -> float:
        """Records per second the urgent consumer took over the last window."""
        self._forget_before(self._clock() - self._window)
        return self._in_window / self._window

    @property
    def busy(self) -> bool:
        return self.rate >= self.busy_rate

    async def wait_calm(self, stop: asyncio.Event) -> float:
        """Wait while the urgent consumer is busy (at most max_wait_s, or until `stop`);
        returns how long it waited."""
        started = self._clock()
        while self.busy and not stop.is_set():
            now = self._clock()
            left = self.max_wait_s - (now - started)
            if left <= 0:
                break
            # The rate can only fall when the oldest batch leaves the window.
            until_older_leaves = self._taken[0][0] + self._window - now if self._taken else 0.0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(left, until_older_leaves) + 0.001)
        return self._clock() - started
