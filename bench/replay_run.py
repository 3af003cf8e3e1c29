"""The rebuild-by-replay rate: the first records of the run's own topics (events the real
services produced) copied, bytes unchanged, to topics under a fresh prefix, then
`feedback.handlers.rebuild.rebuild_read_model` replays them into a scratch feedback
database. Only the rebuild is timed."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from feedback.adapters.replay import partition_counts, records_from_start
from feedback.handlers.rebuild import rebuild_read_model
from feedback.settings import FeedbackSettings
from huiyin.devstack.stack import Stack
from huiyin.events import decode_event, topics
from huiyin.messaging.topics_admin import ensure_topics
from huiyin.migrate import upgrade


async def _copy(bootstrap: str, source_prefix: str, target_prefix: str, cap: int) -> Counter[str]:
    """The same share of every partition (so each complaint's events keep their order)."""
    names = [source_prefix + t for t in topics.ALL]
    counts = await partition_counts(bootstrap, names)
    parts = [TopicPartition(n, p) for n in names for p in range(counts.get(n, 0))]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(parts)
    finally:
        await consumer.stop()
    total = sum(ends.values())
    share = min(1.0, cap / total) if total else 0.0
    limit = {(tp.topic, tp.partition): int(ends[tp] * share) for tp in parts}
    types: Counter[str] = Counter()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        async for records in records_from_start(bootstrap, names, batch=2_000):
            for r in records:
                if r.offset < limit[(r.topic, r.partition)]:
                    topic = target_prefix + r.topic.removeprefix(source_prefix)
                    await producer.send(topic, value=r.value, key=r.key, partition=r.partition)
                    types[decode_event(r.value or b"").type] += 1
        await producer.flush()
    finally:
        await producer.stop()
    return types


def replay_rate(stack: Stack, *, records: int, run_no: int) -> dict[str, Any]:
    bootstrap = stack.kafka.bootstrap_servers
    prefix = f"benchreplay{run_no}."
    database = f"huiyin_feedback_replay{run_no}"
    stack.postgres.ensure_database(database)
    url = stack.postgres.url(database)
    upgrade("feedback", url)
    asyncio.run(ensure_topics(bootstrap, prefix=prefix))
    types = asyncio.run(_copy(bootstrap, stack.config.topic_prefix, prefix, records))
    settings = FeedbackSettings(
        database_url=url, kafka_bootstrap_servers=bootstrap, kafka_topic_prefix=prefix
    )
    started = time.monotonic()
    report = asyncio.run(rebuild_read_model(settings))
    seconds = time.monotonic() - started
    return {
        "records": report.records,
        "applied": report.applied,
        "seconds": round(seconds, 2),
        "events_per_s": round(report.records / seconds, 1) if seconds > 0 else None,
        "event_types": dict(types.most_common()),
    }
