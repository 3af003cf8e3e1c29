"""Group commit: batching, isolation of a bad item, outages, shutdown."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from intake.adapters.group_commit import GroupCommit, NotAccepting


class Store:
    """A fake flush: records each batch; items named 'bad' poison any batch they are in."""

    def __init__(self, *, outage: bool = False, delay: float = 0.01) -> None:
        self.batches: list[list[str]] = []
        self.outage, self.delay = outage, delay

    async def flush(self, items: Sequence[str]) -> list[str]:
        await asyncio.sleep(self.delay)
        if self.outage:
            raise ConnectionRefusedError("database down")
        if "bad" in items:
            raise ValueError("bad item")
        self.batches.append(list(items))
        return [f"stored {i}" for i in items]


async def started(store: Store, **kw: int) -> tuple[GroupCommit[str, str], asyncio.Event, asyncio.Task[None]]:
    gc: GroupCommit[str, str] = GroupCommit(store.flush, **kw)
    stop = asyncio.Event()
    task = asyncio.create_task(gc.run(stop))
    await asyncio.sleep(0)
    return gc, stop, task


async def test_concurrent_items_share_batches_up_to_the_cap() -> None:
    store = Store()
    gc, stop, task = await started(store, max_batch=50)
    results = await asyncio.gather(*(gc.submit(f"i{n}") for n in range(120)))
    assert results == [f"stored i{n}" for n in range(120)]
    sizes = [len(b) for b in store.batches]
    assert sum(sizes) == 120 and max(sizes) <= 50 and len(sizes) < 120
    stop.set()
    await task


async def test_a_lone_item_is_committed_at_once() -> None:
    store = Store(delay=0)
    gc, stop, task = await started(store)
    assert await asyncio.wait_for(gc.submit("alone"), timeout=1) == "stored alone"
    assert store.batches == [["alone"]]
    stop.set()
    await task


async def test_a_bad_item_fails_only_itself() -> None:
    store = Store()
    gc, stop, task = await started(store)
    results = await asyncio.gather(*(gc.submit(i) for i in ["a", "bad", "b"]), return_exceptions=True)
    assert results[0] == "stored a" and results[2] == "stored b"
    assert isinstance(results[1], ValueError)
    stop.set()
    await task


async def test_an_outage_fails_every_item_with_the_infrastructure_error() -> None:
    store = Store(outage=True)
    gc, stop, task = await started(store)
    results = await asyncio.gather(*(gc.submit(i) for i in ["a", "b", "c"]), return_exceptions=True)
    assert all(isinstance(r, ConnectionRefusedError) for r in results)
    assert store.batches == []
    stop.set()
    await task


async def test_stop_drains_the_queue_then_refuses_new_items() -> None:
    store = Store()
    gc, stop, task = await started(store)
    pending = [asyncio.create_task(gc.submit(f"q{n}")) for n in range(10)]
    await asyncio.sleep(0)
    stop.set()
    assert await asyncio.gather(*pending) == [f"stored q{n}" for n in range(10)]
    await task
    with pytest.raises(NotAccepting):
        await gc.submit("late")


async def test_items_queued_before_the_flusher_starts_are_committed_when_it_does() -> None:
    store = Store()
    gc: GroupCommit[str, str] = GroupCommit(store.flush)
    early = asyncio.create_task(gc.submit("early"))
    await asyncio.sleep(0.01)
    stop = asyncio.Event()
    task = asyncio.create_task(gc.run(stop))
    assert await early == "stored early"
    stop.set()
    await task
