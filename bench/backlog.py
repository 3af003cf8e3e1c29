"""What is left when the load stops: unpublished outbox rows and consumer lag."""

from __future__ import annotations

import asyncio
import time

import psycopg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from bench import system
from huiyin.devstack.stack import SERVICES, Stack


def outbox_pending(stack: Stack) -> dict[str, int]:
    pending = {}
    for service in SERVICES:
        with psycopg.connect(system.dsn(stack, service)) as conn:
            row = conn.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()
            pending[service] = int(row[0]) if row else 0
    return pending


async def consumer_lag(bootstrap: str) -> dict[str, int | None]:
    """Group -> records not yet committed, over every partition of the topics it committed
    on; None for a group that has committed nothing yet (its topics are then unknown)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="bench-lag")
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, client_id="bench-lag", enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        lag: dict[str, int | None] = {}
        for group, _protocol in await admin.list_consumer_groups():
            committed = await admin.list_consumer_group_offsets(group)
            topics = sorted({tp.topic for tp in committed})
            if not topics:
                lag[group] = None
                continue
            described = await admin.describe_topics(topics)
            partitions = [
                TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]
            ]
            ends = await consumer.end_offsets(partitions)
            lag[group] = sum(
                max(0, ends[tp] - max(0, committed[tp].offset if tp in committed else 0)) for tp in partitions
            )
        return lag
    finally:
        await consumer.stop()
        await admin.close()


def snapshot(stack: Stack) -> dict[str, dict[str, int | None]]:
    return {
        "outbox_pending": outbox_pending(stack),
        "consumer_lag": asyncio.run(consumer_lag(stack.kafka.bootstrap_servers)),
    }


def drained(snap: dict[str, dict[str, int | None]]) -> bool:
    return not any(snap["outbox_pending"].values()) and not any(snap["consumer_lag"].values())


def wait_until_drained(stack: Stack, timeout: float) -> tuple[float, bool]:
    """Seconds until no outbox row is unpublished and every consumer group has caught up
    (hot-spot detection and feedback's groups included), or `timeout`; and whether it did."""
    started = time.monotonic()
    while True:
        if drained(snapshot(stack)):
            return round(time.monotonic() - started, 2), True
        if time.monotonic() - started >= timeout:
            return round(time.monotonic() - started, 2), False
        time.sleep(1.0)
