"""A consumer with lanes applies the partition groups of one batch concurrently, keeps each
partition's order within its lane, and raises a lane's error only after every lane ended."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from aiokafka import ConsumerRecord, TopicPartition

from huiyin.messaging.consumer import IdempotentConsumer, Record, split_lanes
from tests.support.consumers import without_database


def record(topic: str, partition: int, offset: int) -> Record:
    return ConsumerRecord(
        topic=topic, partition=partition, offset=offset, timestamp=0, timestamp_type=0,
        key=b"k", value=b"{}", checksum=None, serialized_key_size=1, serialized_value_size=2, headers=(),
    )  # fmt: skip


def batches(*spec: tuple[str, int, int]) -> dict[TopicPartition, list[Record]]:
    """(topic, partition, how many records) -> a getmany result."""
    return {TopicPartition(t, p): [record(t, p, o) for o in range(n)] for t, p, n in spec}


def places(lane: Sequence[Record]) -> list[tuple[str, int, int]]:
    return [(r.topic, r.partition, r.offset) for r in lane]


def test_partitions_are_grouped_by_number_and_keep_their_order() -> None:
    got = batches(("complaints", 0, 2), ("complaints", 1, 1), ("feedback", 2, 1), ("feedback", 1, 2))
    lanes = split_lanes(got, 2)
    assert [places(lane) for lane in lanes] == [
        [("complaints", 0, 0), ("complaints", 0, 1), ("feedback", 2, 0)],
        # partition 1 of both topics: one complaint's submission and its verdict share a lane
        [("complaints", 1, 0), ("feedback", 1, 0), ("feedback", 1, 1)],
    ]


def test_one_lane_takes_everything_and_empty_lanes_are_left_out() -> None:
    got = batches(("complaints", 3, 2), ("complaints", 5, 1))
    assert [places(lane) for lane in split_lanes(got, 1)] == [
        [("complaints", 3, 0), ("complaints", 3, 1), ("complaints", 5, 0)]
    ]
    assert len(split_lanes(got, 2)) == 1  # both partitions are odd
    assert split_lanes({}, 4) == []


class Recording(IdempotentConsumer):
    """`process` replaced (the database part is tested in the integration tier): each lane
    waits until every lane has started, so lanes applied one after another never finish."""

    def __init__(self, lanes: int, fail: set[int] | None = None) -> None:
        super().__init__(**without_database("lanes", None, lanes=lanes))
        self.expected, self.fail = lanes, fail or set()
        self.started: list[int] = []
        self.finished: list[int] = []
        self.all_started = asyncio.Event()

    async def process(self, records: Sequence[Record]) -> None:
        partition = records[0].partition
        self.started.append(partition)
        if len(self.started) == self.expected:
            self.all_started.set()
        await self.all_started.wait()
        await asyncio.sleep(0.01 * partition)  # the lanes end in partition order
        self.finished.append(partition)
        if partition in self.fail:
            raise ValueError(f"lane of partition {partition} failed")


async def test_lanes_are_applied_concurrently() -> None:
    consumer = Recording(lanes=3)
    lanes = split_lanes(batches(("complaints", 0, 1), ("complaints", 1, 1), ("complaints", 2, 1)), 3)
    await asyncio.wait_for(consumer.process_lanes(lanes), 5)
    assert sorted(consumer.started) == [0, 1, 2] and consumer.finished == [0, 1, 2]


async def test_a_failed_lane_is_raised_after_every_lane_ended() -> None:
    consumer = Recording(lanes=3, fail={0, 1})
    lanes = split_lanes(batches(("complaints", 0, 1), ("complaints", 1, 1), ("complaints", 2, 1)), 3)
    with pytest.raises(ValueError, match="partition 0 failed"):
        await asyncio.wait_for(consumer.process_lanes(lanes), 5)
    # partition 2's lane was not cut off by partition 0's failure: it ran to its end
    assert consumer.finished == [0, 1, 2]
