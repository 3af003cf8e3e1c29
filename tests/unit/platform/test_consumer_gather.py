"""A consumer nobody waits on at a peak gathers: after a batch that was not full it waits
`gather_s` before it takes the next; after a full batch (a backlog) it goes on at once."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import Any

from aiokafka import TopicPartition

from huiyin.messaging.consumer import IdempotentConsumer
from tests.support.consumers import without_database
from tests.unit.platform.test_shared_decoder import raw_submitted


class ScriptedKafka:
    """Stands in for the Kafka client only: hands out the given batch sizes, notes when."""

    def __init__(self, sizes: list[int], done: asyncio.Event) -> None:
        self.sizes, self.done = sizes, done
        self.calls: list[float] = []
        self.raw = raw_submitted()

    async def start(self) -> None: ...
    async def stop(self) -> None: ...

    async def getmany(self, *, timeout_ms: int, max_records: int) -> dict[Any, list[Any]]:
        self.calls.append(time.monotonic())
        if not self.sizes:
            self.done.set()
            return {}
        n = self.sizes.pop(0)
        return {
            TopicPartition("t", 0): [
                SimpleNamespace(value=self.raw, topic="t", partition=0, offset=i) for i in range(n)
            ]
        }

    async def commit(self, offsets: dict[Any, int] | None = None) -> None: ...

    def assignment(self) -> set[Any]:
        return set()


async def run_with(gather_s: float, sizes: list[int]) -> list[float]:
    stop = asyncio.Event()
    kafka = ScriptedKafka(list(sizes), stop)
    # Nothing handled: the records are skipped, no database is needed.
    consumer = IdempotentConsumer(**without_database("gathering", kafka, batch_size=10, gather_s=gather_s))
    await asyncio.wait_for(consumer.run(stop), 10)
    assert consumer.status.ignored_total == sum(sizes)
    return [b - a for a, b in zip(kafka.calls, kafka.calls[1:], strict=False)]


async def test_after_a_partial_batch_it_waits_after_a_full_one_it_does_not() -> None:
    gaps = await run_with(0.3, [10, 10, 3, 4])  # full, full, partial, partial
    assert len(gaps) == 4
    assert gaps[0] < 0.15 and gaps[1] < 0.15  # a backlog is worked off at once
    assert gaps[2] >= 0.3 and gaps[3] >= 0.3  # a trickle is gathered


async def test_no_gathering_by_default() -> None:
    gaps = await run_with(0.0, [3, 4, 5])
    assert all(g < 0.15 for g in gaps)
