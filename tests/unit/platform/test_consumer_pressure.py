"""A consumer that can wait pauses while the urgent one takes records at a peak rate, never forever."""

from __future__ import annotations

import asyncio

from huiyin.messaging.pressure import Pressure


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_rate_below_the_threshold_is_not_pressure() -> None:
    clock = FakeClock()
    p = Pressure(busy_rate=100, max_wait_s=30, clock=clock)
    p.note_batch(0)
    p.note_batch(60)
    clock.now += 0.5
    p.note_batch(39)  # 99 records within the last second
    assert p.rate == 99 and not p.busy


def test_the_rate_not_the_batch_size_is_the_signal() -> None:
    clock = FakeClock()
    p = Pressure(busy_rate=100, max_wait_s=30, window_s=1.0, clock=clock)
    for _ in range(10):  # ten small batches of 12 in one second: 120/s, a peak
        p.note_batch(12)
        clock.now += 0.09
    assert p.busy
    slow = Pressure(busy_rate=100, max_wait_s=30, window_s=1.0, clock=clock)
    slow.note_batch(300)  # one large batch, then nothing for a second: the peak has passed
    assert slow.busy
    clock.now += 1.01
    assert not slow.busy and slow.rate == 0


async def test_wait_calm_returns_at_once_when_not_busy() -> None:
    p = Pressure(busy_rate=100, max_wait_s=30)
    assert await p.wait_calm(asyncio.Event()) < 0.05


async def test_wait_calm_ends_when_the_peak_passes() -> None:
    p = Pressure(busy_rate=10, max_wait_s=30, window_s=0.2)
    p.note_batch(500)
    waited = await p.wait_calm(asyncio.Event())
    assert not p.busy
    assert 0.1 <= waited < 5


async def test_wait_calm_gives_up_after_max_wait_so_the_deferred_consumer_still_moves() -> None:
    p = Pressure(busy_rate=10, max_wait_s=0.2, window_s=60)
    p.note_batch(5_000)
    waited = await p.wait_calm(asyncio.Event())
    assert p.busy  # still busy: it stopped waiting because of max_wait_s
    assert 0.2 <= waited < 5


async def test_wait_calm_ends_on_stop() -> None:
    p = Pressure(busy_rate=10, max_wait_s=60, window_s=60)
    p.note_batch(5_000)
    stop = asyncio.Event()
    stop.set()
    assert await p.wait_calm(stop) < 0.05


def test_routing_hotspot_detection_defers_to_the_inbox_consumer() -> None:
    from routing.adapters.units_repo import DirectoryCache
    from routing.entrypoints.consumers import GROUP, consumer_spec, hotspot_consumer_spec
    from routing.hotspots.rules import HotspotRules

    assert hotspot_consumer_spec(DirectoryCache(), HotspotRules()).defers_to == GROUP
    assert consumer_spec(DirectoryCache()).defers_to is None
