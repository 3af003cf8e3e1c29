"""Reading a topic after the fact: end offsets now, and every record from given offsets on
(explicit partition assignment: no consumer group, nothing committed)."""

from __future__ import annotations

import time
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from feedback.adapters.replay import partition_counts

Offsets = dict[int, int]  # partition -> offset


async def end_offsets(bootstrap: str, topic: str) -> Offsets:
    parts = [TopicPartition(topic, p) for p in range((await partition_counts(bootstrap, [topic]))[topic])]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(parts)
        return {tp.partition: ends[tp] for tp in parts}
    finally:
        await consumer.stop()


async def read_from(
    bootstrap: str,
    topic: str,
    start: Offsets,
    *,
    on_record: Callable[[ConsumerRecord[bytes, bytes]], bool],
    timeout_s: float,
) -> int:
    """Feed every record from `start` on to `on_record` until it returns True (seen enough)
    or nothing more arrives before `timeout_s`; returns how many records were read."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, isolation_level="read_committed"
    )
    await consumer.start()
    read, deadline = 0, time.monotonic() + timeout_s
    try:
        parts = [TopicPartition(topic, p) for p in start]
        consumer.assign(parts)
        for tp in parts:
            consumer.seek(tp, start[tp.partition])
        while time.monotonic() < deadline:
            fetched = await consumer.getmany(timeout_ms=500, max_records=5_000)
            for records in fetched.values():
                for r in records:
                    read += 1
                    if on_record(r):
                        return read
        return read
    finally:
        await consumer.stop()
