"""How routing's app installs hot spots: the rules from settings, the prune loop, the API
router and the deadline timers the SLA scheduler fires (the detection consumer is wired in
routing.entrypoints.consumers, as its own consumer group)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from fastapi import APIRouter

from huiyin.runtime import Runtime
from routing.hotspots import lsh_index, text
from routing.hotspots.api import hotspots_router
from routing.hotspots.deadline import HotspotDeadlines
from routing.hotspots.rules import HotspotRules
from routing.settings import RoutingSettings

DEADLINES = HotspotDeadlines()


def rules_of(settings: RoutingSettings) -> HotspotRules:
    extra = (
        {} if settings.hotspot_text_threshold is None else {"text_threshold": settings.hotspot_text_threshold}
    )
    return HotspotRules(
        radius_m=settings.hotspot_radius_m,
        window=timedelta(seconds=settings.hotspot_window_s),
        min_complaints=settings.hotspot_min_complaints,
        min_citizens=settings.hotspot_min_citizens,
        **extra,
    )


class BandKeyPruner:
    """Drops band keys older than the window, so the probe's index stays as big as the
    window's complaints (a replica that finds another pruning skips its turn)."""

    def __init__(self, runtime: Runtime, rules: HotspotRules, every_s: float) -> None:
        self._runtime, self._rules, self._every_s = runtime, rules, every_s

    async def prune_once(self) -> int | None:
        async with self._runtime.uow() as uow:
            dropped = await lsh_index.prune_band_keys(
                uow.session, before=uow.clock.now() - self._rules.window
            )
            await uow.commit()
        return dropped

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.prune_once()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._every_s)


async def warm_text(_: Runtime) -> None:
    """A start-up hook: jieba's dictionary (about a second of CPU) loads before /ready."""
    await asyncio.to_thread(text.warm)


def install(runtime: Runtime, settings: RoutingSettings) -> list[APIRouter]:
    if settings.hotspot_detection:
        pruner = BandKeyPruner(runtime, rules_of(settings), settings.hotspot_prune_every_s)
        runtime.add_loop("hotspot-band-key-pruner", pruner.run)
    return [hotspots_router()]
