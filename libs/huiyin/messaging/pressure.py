"""Work that can wait gives the CPU to work that cannot: a consumer whose events nobody is
waiting on (hot-spot detection) pauses while a consumer in the same process that someone is
waiting on (the inbox) is taking full batches, and catches up when the peak has passed.

The signal is the size of the urgent consumer's recent batches: `getmany` returns whatever
has arrived since the last call, so small batches mean the urgent path keeps up with
arrivals, and batches of `busy_records` or more mean a backlog is building. A deferring
consumer waits at most `max_wait_s` before it takes one batch anyway, so it always moves.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable


class Pressure:
    def __init__(
        self,
        *,
        busy_records: int,
        max_wait_s: float,
        quiet_after_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.busy_records, self.max_wait_s, self._quiet_after = busy_records, max_wait_s, quiet_after_s
        self._clock = clock
        self._busy_at = float("-inf")  # when the urgent consumer last took a full batch

    def note_batch(self, records: int) -> None:
        """The urgent consumer took a batch of `records`."""
        if records >= self.busy_records:
            self._busy_at = self._clock()

    @property
    def busy(self) -> bool:
        return self._clock() - self._busy_at < self._quiet_after

    async def wait_calm(self, stop: asyncio.Event) -> float:
        """Wait while the urgent consumer is busy (at most max_wait_s, or until `stop`);
        returns how long it waited."""
        started = self._clock()
        while self.busy and not stop.is_set():
            now = self._clock()
            left = self.max_wait_s - (now - started)
            if left <= 0:
                break
            until_quiet = self._quiet_after - (now - self._busy_at)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(left, until_quiet) + 0.001)
        return self._clock() - started
