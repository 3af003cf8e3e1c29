"""Reading topics from their first offset to the end they had when the replay began, by
explicit partition assignment: no consumer group, nothing committed, no live consumer
disturbed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


async def records_from_start(
    bootstrap: str, topics: Sequence[str], *, batch: int = 500
) -> AsyncIterator[list[ConsumerRecord[bytes, bytes]]]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        isolation_level="read_committed",
        client_id="huiyin-feedback-replay",
    )
    await consumer.start()
    try:
        counts = await partition_counts(bootstrap, topics)
        missing = [t for t in topics if not counts.get(t)]
        if missing:
            raise RuntimeError(f"cannot replay: topics missing: {', '.join(missing)}")
        parts = [TopicPartition(t, p) for t in topics for p in range(counts[t])]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        ends = await consumer.end_offsets(parts)
        remaining = {tp for tp in parts if ends[tp] > 0}
        while remaining:
            fetched = await consumer.getmany(*remaining, timeout_ms=1000, max_records=batch)
            records = []
            for tp, tp_records in fetched.items():
                records += [r for r in tp_records if r.offset < ends[tp]]
            if records:
                yield records
            for tp in list(remaining):
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()


async def partition_counts(bootstrap: str, topics: Sequence[str]) -> dict[str, int]:
    # A consumer without subscriptions knows no partitions; the admin client asks the broker.
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="huiyin-feedback-replay")
    await admin.start()
    try:
        described = await admin.describe_topics(list(topics))
        return {d["topic"]: len(d["partitions"]) for d in described if not d.get("error_code")}
    finally:
        await admin.close()
