"""Probes every service has: outbox backlog, consumer lag, DLQ sizes, background loops.

DB- and broker-wide figures (backlog, lag, DLQ sizes) are the same whichever replica
answers: a dashboard takes `max` over replicas for them, never `sum`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy import text

from huiyin.events import topics
from huiyin.observability.kafka_lag import KafkaLag, PartitionLag

if TYPE_CHECKING:
    from huiyin.runtime import Runtime

BACKLOG = """
SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)
  FROM outbox WHERE published_at IS NULL
"""


class ConsumerLag:
    """The lag of this service's consumer groups, read at most once per `ttl_s` and shared by
    every probe that asks during a scrape."""

    def __init__(self, runtime: Runtime, *, ttl_s: float = 5.0) -> None:
        settings = runtime.settings
        self.groups = runtime.consumer_groups
        self.reader = KafkaLag(
            settings.kafka_bootstrap_servers,
            prefix=settings.kafka_topic_prefix,
            client_id=f"{settings.kafka_client_id}-lag",
        )
        self._ttl, self._at = ttl_s, float("-inf")
        self._task: asyncio.Task[list[PartitionLag]] | None = None

    async def snapshot(self) -> list[PartitionLag]:
        if self._task is None or (self._task.done() and time.monotonic() - self._at > self._ttl):
            self._at = time.monotonic()
            self._task = asyncio.ensure_future(self.reader.lag(self.groups))
        return await asyncio.shield(self._task)

    async def aclose(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await self.reader.close()


def install(runtime: Runtime) -> None:
    metrics = runtime.metrics
    metrics.add_probe("outbox", lambda: outbox_backlog(runtime))
    metrics.add_probe("loops", lambda: loops(runtime), min_interval_s=0)
    if runtime.consumer_groups:
        lag = ConsumerLag(runtime)
        runtime.consumer_lag = lag
        metrics.add_probe("consumer_lag", lambda: consumer_lag(lag))
        metrics.add_probe("dlq", lambda: dlq_sizes(lag))
        metrics.on_close(lag.aclose)


async def outbox_backlog(runtime: Runtime) -> Iterable[Metric]:
    async with runtime.engine.connect() as conn:
        rows, age = (await conn.execute(text(BACKLOG))).one()
    return [
        GaugeMetricFamily("huiyin_outbox_backlog_rows", "outbox rows not yet published to Kafka", value=rows),
        GaugeMetricFamily(
            "huiyin_outbox_oldest_age_seconds", "age of the oldest unpublished outbox row", value=float(age)
        ),
    ]


async def consumer_lag(lag: ConsumerLag) -> Iterable[Metric]:
    labels = ["group", "topic", "partition"]
    messages = GaugeMetricFamily(
        "huiyin_consumer_lag_messages", "messages a consumer group has not committed yet", labels=labels
    )
    seconds = GaugeMetricFamily(
        "huiyin_consumer_lag_seconds",
        "age of the oldest message a consumer group has not committed yet (0 when caught up)",
        labels=labels,
    )
    for p in await lag.snapshot():
        key = [p.group, p.topic, str(p.partition)]
        messages.add_metric(key, p.lag)
        seconds.add_metric(key, p.oldest_age_s or 0.0)
    return [messages, seconds]


async def dlq_sizes(lag: ConsumerLag) -> Iterable[Metric]:
    read = sorted({t for ts in lag.groups.values() for t in ts})
    sizes = await lag.reader.retained([topics.dlq(t) for t in read])
    family = GaugeMetricFamily(
        "huiyin_dlq_messages", "messages held in a topic's dead-letter queue", labels=["topic"]
    )
    for t in read:
        family.add_metric([t], sizes.get(topics.dlq(t), 0))
    return [family]


async def loops(runtime: Runtime) -> Iterable[Metric]:
    up = GaugeMetricFamily("huiyin_loop_up", "1 while a background loop runs, else 0", labels=["loop"])
    restarts = CounterMetricFamily(
        "huiyin_loop_restarts", "times a background loop failed and was restarted", labels=["loop"]
    )
    for name, state in runtime.loop_states.items():
        up.add_metric([name], 1.0 if state.state == "running" else 0.0)
        restarts.add_metric([name], state.restarts)
    return [up, restarts]
