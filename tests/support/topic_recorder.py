"""Record everything published on one Kafka topic, decoded, in arrival order (for tests that
assert on the events a service emitted)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka import AIOKafkaConsumer

from huiyin.events import Event, decode_event


class TopicRecorder:
    def __init__(self, bootstrap: str, topic: str) -> None:
        self.events: list[Event[Any]] = []
        self._consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")

    async def __aenter__(self) -> TopicRecorder:
        await self._consumer.start()
        self._task = asyncio.create_task(self._collect())
        return self

    async def __aexit__(self, *_: object) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        await self._consumer.stop()

    async def _collect(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=100)
            for messages in batches.values():
                self.events.extend(decode_event(m.value) for m in messages if m.value is not None)
