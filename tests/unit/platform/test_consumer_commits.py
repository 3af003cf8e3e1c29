"""Offsets are committed off the consume loop (`OffsetCommits`): the loop fetches its next
batch while a commit is in flight, batches applied meanwhile go in the next commit, a clean
stop commits everything applied, a failed commit stops the loop, and partitions taken away
by a rebalance are left to their new owner."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka import TopicPartition

from huiyin.messaging.consumer import IdempotentConsumer, OffsetCommits, next_offsets
from tests.support.consumers import without_database
from tests.unit.platform.test_shared_decoder import raw_submitted

P0, P1 = TopicPartition("t", 0), TopicPartition("t", 1)


class CommitKafka:
    """Stands in for the Kafka client only: hands out scripted batches (partition -> first
    offset, count); commits wait for `release` and are recorded."""

    def __init__(self, batches: list[dict[TopicPartition, tuple[int, int]]], done: asyncio.Event) -> None:
        self.batches, self.done = batches, done
        self.raw = raw_submitted()
        self.release = asyncio.Event()
        self.commits: list[dict[TopicPartition, int]] = []
        self.fetched_while_committing = 0
        self.committing = False
        self.fail_commit = False
        self.assigned = {P0, P1}

    async def start(self) -> None: ...
    async def stop(self) -> None: ...

    async def getmany(self, *, timeout_ms: int, max_records: int) -> dict[TopicPartition, list[Any]]:
        await asyncio.sleep(0)
        if self.committing:
            self.fetched_while_committing += 1
        if not self.batches:
            self.done.set()
            return {}
        script = self.batches.pop(0)
        return {
            tp: [
                SimpleNamespace(value=self.raw, topic=tp.topic, partition=tp.partition, offset=o)
                for o in range(first, first + n)
            ]
            for tp, (first, n) in script.items()
        }

    async def commit(self, offsets: dict[TopicPartition, int] | None = None) -> None:
        assert offsets is not None, "explicit offsets only"
        self.committing = True
        try:
            await self.release.wait()
            if self.fail_commit:
                raise RuntimeError("commit refused")
            self.commits.append(dict(offsets))
        finally:
            self.committing = False

    def assignment(self) -> set[TopicPartition]:
        return self.assigned


def consumer_on(kafka: CommitKafka) -> IdempotentConsumer:
    # Nothing handled: the records are skipped, no database is needed.
    return IdempotentConsumer(**without_database("commits", kafka, batch_size=100))


def test_next_offsets_are_each_partitions_next_record() -> None:
    records = {P0: [SimpleNamespace(offset=4), SimpleNamespace(offset=5)], P1: []}
    assert next_offsets(records) == {P0: 6}  # type: ignore[arg-type]


async def test_the_loop_fetches_while_a_commit_is_in_flight_and_the_next_commit_takes_the_rest() -> None:
    stop = asyncio.Event()
    kafka = CommitKafka([{P0: (0, 3)}, {P0: (3, 2), P1: (0, 4)}, {P1: (4, 1)}], stop)
    run = asyncio.create_task(consumer_on(kafka).run(stop))
    await asyncio.wait_for(stop.wait(), 5)  # every batch fetched and applied, the first commit still waiting
    assert kafka.fetched_while_committing >= 2 and kafka.commits == []
    kafka.release.set()
    await asyncio.wait_for(run, 5)  # a clean stop commits everything applied
    assert kafka.commits == [{P0: 3}, {P0: 5, P1: 5}]


async def test_a_failed_commit_stops_the_loop_with_its_error() -> None:
    kafka = CommitKafka([{P0: (0, 3)}] + [{P0: (3 + i, 1)} for i in range(50)], asyncio.Event())
    kafka.fail_commit = True
    kafka.release.set()
    with pytest.raises(RuntimeError, match="commit refused"):
        await asyncio.wait_for(consumer_on(kafka).run(asyncio.Event()), 5)
    assert kafka.batches, "the loop stopped at the failed commit, not at the end of the script"


async def test_partitions_taken_by_a_rebalance_are_not_committed() -> None:
    stop = asyncio.Event()
    kafka = CommitKafka([{P0: (0, 2), P1: (0, 2)}], stop)
    kafka.assigned = {P1}
    kafka.release.set()
    await asyncio.wait_for(consumer_on(kafka).run(stop), 5)
    assert kafka.commits == [{P1: 2}]


async def test_abandoning_cancels_the_commit_in_flight_and_drops_the_rest() -> None:
    started, never = asyncio.Event(), asyncio.Event()
    sent: list[dict[TopicPartition, int]] = []

    async def commit(offsets: dict[TopicPartition, int]) -> None:
        sent.append(offsets)
        started.set()
        await never.wait()

    commits = OffsetCommits(commit)
    commits.add({P0: 1})
    await started.wait()
    commits.add({P0: 2})  # waits for the one in flight
    await commits.abandon()
    commits.poll()
    await asyncio.sleep(0)
    assert sent == [{P0: 1}]


async def test_a_cancelled_consumer_is_not_kept_running_by_abandon() -> None:
    started = asyncio.Event()

    async def commit(offsets: dict[TopicPartition, int]) -> None:
        started.set()
        await asyncio.Event().wait()

    commits = OffsetCommits(commit)
    commits.add({P0: 1})
    await started.wait()
    stopping = asyncio.create_task(commits.abandon())
    await asyncio.sleep(0)  # abandon waits for the commit it cancelled
    stopping.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stopping


async def test_commits_start_at_most_once_per_interval_and_a_clean_stop_commits_at_once() -> None:
    now = [100.0]
    sent: list[dict[TopicPartition, int]] = []

    async def commit(offsets: dict[TopicPartition, int]) -> None:
        sent.append(offsets)

    commits = OffsetCommits(commit, interval_s=1.0, clock=lambda: now[0])
    commits.add({P0: 1})  # the first commit goes at once
    await asyncio.sleep(0)
    now[0] = 100.5
    commits.add({P0: 2})
    commits.add({P1: 7})
    await asyncio.sleep(0)
    assert sent == [{P0: 1}], "within the interval the offsets wait"
    now[0] = 101.0
    commits.poll()
    await asyncio.sleep(0)
    assert sent == [{P0: 1}, {P0: 2, P1: 7}], "merged into one commit once the interval passed"
    now[0] = 101.2
    commits.add({P0: 3})
    await commits.flush()
    assert sent[-1] == {P0: 3}, "a clean stop does not wait for the interval"


async def test_offsets_waiting_for_the_interval_are_committed_while_the_loop_is_away() -> None:
    sent: list[dict[TopicPartition, int]] = []

    async def commit(offsets: dict[TopicPartition, int]) -> None:
        sent.append(offsets)

    commits = OffsetCommits(commit, interval_s=0.05)
    commits.add({P0: 1})
    commits.add({P0: 2})  # within the interval: waits; the loop then gathers or defers
    await asyncio.sleep(0)
    assert sent == [{P0: 1}]

    async def second_commit() -> None:
        while len(sent) < 2:
            await asyncio.sleep(0.01)

    await asyncio.wait_for(second_commit(), 5)  # nobody polls
    assert sent == [{P0: 1}, {P0: 2}]


async def test_a_failed_commit_is_left_for_the_loop_to_raise_and_nothing_more_is_committed() -> None:
    sent: list[dict[TopicPartition, int]] = []

    async def commit(offsets: dict[TopicPartition, int]) -> None:
        sent.append(offsets)
        raise RuntimeError("commit refused")

    commits = OffsetCommits(commit, interval_s=0.05)
    commits.add({P0: 1})
    commits.add({P0: 2})
    await asyncio.sleep(0.2)  # four intervals
    assert sent == [{P0: 1}], "nothing more is committed after the failure"
    with pytest.raises(RuntimeError, match="commit refused"):
        commits.poll()
