"""A consumer that can wait pauses while the urgent one takes full batches, never forever."""

from __future__ import annotations

import asyncio

from huiyin.messaging.pressure import Pressure


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_small_batches_are_not_pressure() -> None:
    clock = FakeClock()
    p = Pressure(busy_records=100, max_wait_s=30, clock=clock)
    p.note_batch(0)
    p.note_batch(99)
    assert not p.busy


def test_a_full_batch_is_pressure_until_it_has_been_quiet_a_while() -> None:
    clock = FakeClock()
    p = Pressure(busy_records=100, max_wait_s=30, quiet_after_s=1.0, clock=clock)
    p.note_batch(100)
    assert p.busy
    clock.now += 0.5
    p.note_batch(10)  # a small batch does not end the busy spell at once...
    assert p.busy
    clock.now += 0.6  # ...a second without a full batch does
    assert not p.busy


async def test_wait_calm_returns_at_once_when_not_busy() -> None:
    p = Pressure(busy_records=100, max_wait_s=30)
    assert await p.wait_calm(asyncio.Event()) < 0.05


async def test_wait_calm_ends_when_the_peak_passes() -> None:
    p = Pressure(busy_records=10, max_wait_s=30, quiet_after_s=0.2)
    p.note_batch(500)
    waited = await p.wait_calm(asyncio.Event())
    assert 0.1 <= waited < 5


async def test_wait_calm_gives_up_after_max_wait_so_the_deferred_consumer_still_moves() -> None:
    p = Pressure(busy_records=10, max_wait_s=0.2, quiet_after_s=60)
    p.note_batch(500)
    waited = await p.wait_calm(asyncio.Event())
    assert p.busy  # still busy: it stopped waiting because of max_wait_s
    assert 0.2 <= waited < 5


async def test_wait_calm_ends_on_stop() -> None:
    p = Pressure(busy_records=10, max_wait_s=60, quiet_after_s=60)
    p.note_batch(500)
    stop = asyncio.Event()
    stop.set()
    assert await p.wait_calm(stop) < 0.05


def test_routing_hotspot_detection_defers_to_the_inbox_consumer() -> None:
    from routing.adapters.units_repo import DirectoryCache
    from routing.entrypoints.consumers import GROUP, consumer_spec, hotspot_consumer_spec
    from routing.hotspots.rules import HotspotRules

    assert hotspot_consumer_spec(DirectoryCache(), HotspotRules()).defers_to == GROUP
    assert consumer_spec(DirectoryCache()).defers_to is None
