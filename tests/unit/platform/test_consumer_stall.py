"""A consumer whose Kafka client stops answering is not stopped for good: a call that has
not returned within `stall_s` raises `ConsumerStalled`, and the supervisor rebuilds it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from huiyin.errors import is_infrastructure_error
from huiyin.messaging.consumer import ConsumerStalled, IdempotentConsumer
from tests.support.consumers import without_database


class WedgedKafka:
    """Stands in for the Kafka client only: the named call never returns (as aiokafka's
    getmany while a group reassignment never finishes); the others answer at once."""

    def __init__(self, wedged: str, own_timeout: bool = False) -> None:
        self.wedged, self.own_timeout = wedged, own_timeout
        self.stopped = False

    async def _maybe_wedge(self, call: str) -> None:
        if call == self.wedged:
            if self.own_timeout:
                raise TimeoutError("the client's own timeout")
            await asyncio.Event().wait()

    async def start(self) -> None:
        await self._maybe_wedge("start")

    async def stop(self) -> None:
        self.stopped = True
        await self._maybe_wedge("stop")

    async def getmany(self, *, timeout_ms: int, max_records: int) -> dict[Any, list[Any]]:
        await self._maybe_wedge("getmany")
        return {}

    async def commit(self, offsets: dict[Any, int] | None = None) -> None:
        await self._maybe_wedge("commit")

    def assignment(self) -> set[Any]:
        return set()


def consumer_on(kafka: WedgedKafka, stall_s: float) -> IdempotentConsumer:
    return IdempotentConsumer(**without_database("wedged", kafka, stall_s=stall_s))


@pytest.mark.parametrize("wedged", ["start", "getmany"])
async def test_a_call_that_never_returns_raises_consumer_stalled(wedged: str) -> None:
    kafka = WedgedKafka(wedged)
    with pytest.raises(ConsumerStalled, match=f"Kafka {wedged} took over 0.2 s") as raised:
        await asyncio.wait_for(consumer_on(kafka, 0.2).run(asyncio.Event()), 5)
    # An outage to the supervisor: it logs, backs off and builds a new consumer.
    assert is_infrastructure_error(raised.value)
    assert kafka.stopped == (wedged != "start")


async def test_a_wedged_stop_is_given_up_and_the_stall_still_reported() -> None:
    kafka = WedgedKafka("stop")
    consumer = consumer_on(kafka, 0.2)
    stop = asyncio.Event()
    stop.set()  # stop at once: only start and stop are called
    await asyncio.wait_for(consumer.run(stop), 5)  # stop's stall is logged, not raised
    assert kafka.stopped and consumer.status.state == "stopped"


async def test_the_clients_own_timeout_passes_through_unchanged() -> None:
    kafka = WedgedKafka("getmany", own_timeout=True)
    with pytest.raises(TimeoutError, match="the client's own timeout") as raised:
        await asyncio.wait_for(consumer_on(kafka, 5.0).run(asyncio.Event()), 5)
    assert not isinstance(raised.value, ConsumerStalled)
