"""Dead-letter queue: `<topic>.dlq` holds messages that failed, with their error and headers.

An operator lists them and replays chosen ones to their topic after a fix; the replayed
message keeps its event id, so a consumer that had applied it already ignores it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from huiyin.events import topics

DLQ_HEADERS = ("dlq.error", "dlq.topic", "dlq.partition", "dlq.offset", "dlq.consumer", "dlq.at")


class DeadLetters:
    def __init__(self, producer_factory: Callable[[], AIOKafkaProducer]) -> None:
        self._factory = producer_factory
        self._producer: AIOKafkaProducer | None = None

    async def send(
        self, record: ConsumerRecord[bytes, bytes], *, error: BaseException, consumer: str
    ) -> None:
        """Publish to `<physical topic>.dlq`; returns once Kafka holds it (before offsets move)."""
        if self._producer is None:
            producer = self._factory()
            await producer.start()
            self._producer = producer
        headers = [h for h in (record.headers or ()) if h[0] not in DLQ_HEADERS]
        headers += [
            ("dlq.error", f"{type(error).__name__}: {error}"[:4000].encode()),
            ("dlq.topic", record.topic.encode()),
            ("dlq.partition", str(record.partition).encode()),
            ("dlq.offset", str(record.offset).encode()),
            ("dlq.consumer", consumer.encode()),
            ("dlq.at", str(time.time()).encode()),
        ]
        await self._producer.send_and_wait(
            topics.dlq(record.topic), value=record.value, key=record.key, headers=headers
        )

    async def close(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None


@dataclass(frozen=True)
class DeadLetter:
    dlq_topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, str]

    @property
    def original_topic(self) -> str:
        return self.headers.get("dlq.topic", self.dlq_topic.removesuffix(".dlq"))

    @property
    def error(self) -> str:
        return self.headers.get("dlq.error", "")


async def read_dead_letters(
    bootstrap: str, topic: str, *, limit: int = 1000, prefix: str = ""
) -> list[DeadLetter]:
    """Everything in `<topic>.dlq` from the start (no consumer group, nothing committed)."""
    dlq_topic = topics.dlq(prefix + topic)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(dlq_topic, p) for p in await _partitions(bootstrap, dlq_topic)]
        if not tps:
            return []
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        out: list[DeadLetter] = []
        while len(out) < limit and await _behind(consumer, ends):
            batch = await consumer.getmany(timeout_ms=1000)
            for tp_records in batch.values():
                for r in tp_records:
                    hdrs = {k: v.decode(errors="replace") for k, v in (r.headers or ())}
                    out.append(DeadLetter(dlq_topic, r.partition, r.offset, r.key, r.value, hdrs))
        return out[:limit]
    finally:
        await consumer.stop()


async def _behind(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    return any([await consumer.position(tp) < end for tp, end in ends.items()])


async def _partitions(bootstrap: str, topic: str) -> list[int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="huiyin-dlq-reader")
    await admin.start()
    try:
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(p["partition"] for d in described if not d.get("error_code") for p in d["partitions"])


async def replay(bootstrap: str, letters: list[DeadLetter], producer: AIOKafkaProducer) -> int:
    """Publish the chosen dead letters to their original topic again."""
    for letter in letters:
        headers = [(k, v.encode()) for k, v in letter.headers.items() if k not in DLQ_HEADERS]
        headers.append(
            ("dlq.replayed_from", f"{letter.dlq_topic}:{letter.partition}:{letter.offset}".encode())
        )
        await producer.send_and_wait(
            letter.original_topic, value=letter.value, key=letter.key, headers=headers
        )
    return len(letters)
