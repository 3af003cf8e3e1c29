"""The scheduler loop: fire due timers in batches, then sleep until the next one is due.

It never loads the pending timers: each pass claims at most `batch_size` due ones through
the partial index on pending `due_at`, and asks the same index when the next falls due.
Several replicas run it at once safely (see firing.py). Sleep is bounded by `max_sleep_s`
so a timer armed by another replica, due sooner, is still fired promptly.

Other durable deadlines (an adopted hot spot's) ride the same loop as extra `TimerSource`s:
each pass fires them in the same transaction, by the same rules.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from huiyin.clock import Clock
from huiyin.db import UnitOfWork, UowFactory
from routing.sla import status
from routing.sla.config import SlaSettings
from routing.sla.firing import fire_due, next_due

LOCKED_ELSEWHERE_S = 0.05  # due timers we could not claim are being fired by another replica


class TimerSource(Protocol):
    async def fire_due(self, uow: UnitOfWork, *, now: datetime, limit: int) -> int: ...
    async def next_due(self, uow: UnitOfWork) -> datetime | None: ...


class SlaScheduler:
    def __init__(
        self, uow: UowFactory, clock: Clock, settings: SlaSettings, extra: Sequence[TimerSource] = ()
    ) -> None:
        self._uow, self._clock, self._settings = uow, clock, settings
        self._extra = tuple(extra)

    async def run(self, stop: asyncio.Event) -> None:
        status.STATUS.scheduler = "running"
        refresh_at = 0.0
        try:
            while not stop.is_set():
                delay = await self.tick()
                if time.monotonic() >= refresh_at:
                    async with self._uow() as uow:
                        await status.refresh(uow, now=self._clock.now(), timezone=self._settings.timezone)
                    refresh_at = time.monotonic() + self._settings.status_refresh_s
                if delay > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=delay)
        finally:
            status.STATUS.scheduler = "stopped"

    async def tick(self) -> float:
        """One pass: fire what is due (one transaction); returns how long to sleep."""
        now, batch = self._clock.now(), self._settings.batch_size
        async with self._uow() as uow:
            claimed = await fire_due(uow, now=now, limit=batch)
            upcoming = await next_due(uow)
            for source in self._extra:
                claimed += await source.fire_due(uow, now=now, limit=batch)
                due = await source.next_due(uow)
                upcoming = due if upcoming is None or (due is not None and due < upcoming) else upcoming
            await uow.commit()
        if claimed:
            status.STATUS.claimed_total += claimed
            status.STATUS.last_fired_at = now.isoformat()
        if claimed >= batch:
            return 0.0
        if upcoming is None:
            return self._settings.max_sleep_s
        wait = (upcoming - now).total_seconds()
        return min(max(wait, LOCKED_ELSEWHERE_S), self._settings.max_sleep_s)
