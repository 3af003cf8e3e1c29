"""Consumer lag and DLQ sizes as the broker sees them (for /metrics and `huiyin lag`).

Lag is read from the group's committed offsets and the partitions' last stable offsets, so
it does not depend on which replica or worker owns a partition. Its age in seconds is the
age of the oldest message the group has not committed yet (its Kafka timestamp, set when
the relay sent it): "the read model is 40 s behind" rather than "3,000 messages".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

MAX_AGED_PARTITIONS = 64  # bound the fetches one scrape may cost


@dataclass(frozen=True)
class PartitionLag:
    group: str
    topic: str  # without the environment's topic prefix
    partition: int
    committed: int | None  # None: the group has committed nothing on this partition yet
    end: int
    lag: int
    oldest_age_s: float | None  # None when caught up (or the age could not be read)


class KafkaLag:
    def __init__(self, bootstrap: str, *, prefix: str = "", client_id: str = "huiyin-lag") -> None:
        self._bootstrap, self._prefix, self._client_id = bootstrap, prefix, client_id
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._lock = asyncio.Lock()  # one operation at a time on the shared clients

    async def lag(self, groups: Mapping[str, Sequence[str]], *, with_age: bool = True) -> list[PartitionLag]:
        """Lag of each group (name -> topics it reads, both without prefix) per partition."""
        try:
            async with self._lock:
                return await self._lag(groups, with_age)
        except BaseException:
            await self.close()  # a broken client is rebuilt on the next call
            raise

    async def retained(self, topics: Sequence[str]) -> dict[str, int]:
        """Messages each topic holds now (without prefix); a missing topic is left out."""
        try:
            async with self._lock:
                counts = await self._partitions(topics)
                tps = [TopicPartition(self._prefix + t, p) for t, n in counts.items() for p in range(n)]
                consumer = await self._started_consumer()
                first, last = await consumer.beginning_offsets(tps), await consumer.end_offsets(tps)
        except BaseException:
            await self.close()
            raise
        sizes = dict.fromkeys(counts, 0)
        for tp in tps:
            sizes[tp.topic.removeprefix(self._prefix)] += last[tp] - first[tp]
        return sizes

    async def close(self) -> None:
        admin, consumer, self._admin, self._consumer = self._admin, self._consumer, None, None
        if consumer is not None:
            await consumer.stop()
        if admin is not None:
            await admin.close()

    async def _lag(self, groups: Mapping[str, Sequence[str]], with_age: bool) -> list[PartitionLag]:
        counts = await self._partitions(sorted({t for ts in groups.values() for t in ts}))
        consumer, admin = await self._started_consumer(), await self._started_admin()
        tps = [TopicPartition(self._prefix + t, p) for t, n in counts.items() for p in range(n)]
        first, last = await consumer.beginning_offsets(tps), await consumer.end_offsets(tps)
        out: list[PartitionLag] = []
        for group, group_topics in groups.items():
            offsets = await admin.list_consumer_group_offsets(self._prefix + group)
            for tp in tps:
                topic = tp.topic.removeprefix(self._prefix)
                if topic not in group_topics:
                    continue
                meta = offsets.get(tp)
                committed = meta.offset if meta is not None and meta.offset >= 0 else None
                start = first[tp] if committed is None else committed
                out.append(
                    PartitionLag(group, topic, tp.partition, committed, last[tp], last[tp] - start, None)
                )
        return await self._with_ages(out, first) if with_age else out

    async def _with_ages(
        self, lags: list[PartitionLag], first: dict[TopicPartition, int]
    ) -> list[PartitionLag]:
        behind = [x for x in lags if x.lag > 0][:MAX_AGED_PARTITIONS]
        ages: dict[tuple[str, str, int], float] = {}
        # Groups reading the same partition stand at different offsets: one round per group.
        for group in dict.fromkeys(x.group for x in behind):
            wanted = {
                TopicPartition(self._prefix + x.topic, x.partition): x.committed
                for x in behind
                if x.group == group
            }
            for tp, stamp in (await self._first_timestamps(wanted, first)).items():
                ages[(group, tp.topic.removeprefix(self._prefix), tp.partition)] = max(
                    0.0, time.time() - stamp
                )
        return [
            replace(x, oldest_age_s=ages[(x.group, x.topic, x.partition)])
            if (x.group, x.topic, x.partition) in ages
            else x
            for x in lags
        ]

    async def _first_timestamps(
        self, offsets: dict[TopicPartition, int | None], first: dict[TopicPartition, int]
    ) -> dict[TopicPartition, float]:
        """Kafka timestamp (seconds) of the message at each offset (None: the first retained)."""
        consumer = await self._started_consumer()
        consumer.assign(list(offsets))
        for tp, offset in offsets.items():
            consumer.seek(tp, first[tp] if offset is None else offset)
        stamps: dict[TopicPartition, float] = {}
        for _ in range(3):  # a fetch may not answer for every partition at once
            fetched = await consumer.getmany(*offsets, timeout_ms=500, max_records=len(offsets) * 50)
            for tp, records in fetched.items():
                if records and tp not in stamps:
                    stamps[tp] = records[0].timestamp / 1000
            if len(stamps) == len(offsets):
                break
        consumer.assign([])
        return stamps

    async def _partitions(self, topics: Sequence[str]) -> dict[str, int]:
        admin = await self._started_admin()
        described = await admin.describe_topics([self._prefix + t for t in topics])
        return {
            d["topic"].removeprefix(self._prefix): len(d["partitions"])
            for d in described
            if not d.get("error_code")
        }

    async def _started_admin(self) -> AIOKafkaAdminClient:
        if self._admin is None:
            admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap, client_id=self._client_id)
            await admin.start()
            self._admin = admin
        return self._admin

    async def _started_consumer(self) -> AIOKafkaConsumer:
        if self._consumer is None:
            consumer = AIOKafkaConsumer(
                bootstrap_servers=self._bootstrap,
                client_id=self._client_id,
                enable_auto_commit=False,
                isolation_level="read_committed",
            )
            await consumer.start()
            self._consumer = consumer
        return self._consumer
