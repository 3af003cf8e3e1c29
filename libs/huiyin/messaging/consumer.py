"""The idempotent consumer: batches in, one transaction per batch, exactly-once effects.

For each batch from `getmany`: decode (malformed -> DLQ; types this group has no handler
for are skipped before validation), record the event ids in
`processed_events` with ON CONFLICT DO NOTHING (ids already there are redeliveries and are
skipped), run the handlers for the new events, commit, then commit the Kafka offsets (in
the background: `OffsetCommits`).
If the batch fails, it is replayed one event per transaction with retries; an event that
still fails goes to `<topic>.dlq` with its error and the consumer goes on.

Every call on the Kafka client is bounded by `stall_s`: aiokafka's `getmany` waits for a
pending group reassignment without regard to its timeout, and a group that never finishes
rejoining would stop the consumer for good without an error (the likely cause of one CI
run in which the audit group stopped at a broker kill and never resumed; not reproduced
in four runs since). A call that does not return in time raises `ConsumerStalled`, and the supervisor
rebuilds the consumer as after any outage (offsets not committed are delivered again).

With `lanes` > 1 a batch is split by partition number (modulo `lanes`) and the lanes are
applied concurrently, each in its own transaction: while one lane waits for the database,
another builds its rows. A complaint's events are keyed by its id, so on topics with the
same partition count they share a partition number and stay in one lane, in order.
Offsets are committed only after every lane of the batch has committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, TypeAlias, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from opentelemetry.trace import Tracer
from sqlalchemy import text

from huiyin.db import UowFactory
from huiyin.errors import is_infrastructure_error
from huiyin.events.envelope import Event
from huiyin.events.registry import EventDecodeError
from huiyin.messaging.decoding import SharedDecoder
from huiyin.messaging.dlq import DeadLetters
from huiyin.messaging.handlers import Handler
from huiyin.messaging.pressure import Pressure
from huiyin.observability.kafka_spans import ConsumeSpans
from huiyin.observability.metrics import ConsumerMetrics, ServiceMetrics
from huiyin.observability.tracing import parents_by_key

log = structlog.get_logger("huiyin.consumer")

MARK_NEW = """
INSERT INTO processed_events (consumer, event_id)
SELECT :consumer, unnest(CAST(:ids AS text[]))
ON CONFLICT DO NOTHING RETURNING event_id
"""


T = TypeVar("T")
Record: TypeAlias = ConsumerRecord[bytes, bytes]


def split_lanes(batches: dict[TopicPartition, list[Record]], lanes: int) -> list[list[Record]]:
    """The records of a `getmany` result in `lanes` groups by partition number (modulo
    `lanes`), partition order kept within each; empty groups left out."""
    grouped: list[list[Record]] = [[] for _ in range(max(1, lanes))]
    for tp, records in batches.items():
        grouped[tp.partition % len(grouped)].extend(records)
    return [lane for lane in grouped if lane]


def next_offsets(batches: dict[TopicPartition, list[Record]]) -> dict[TopicPartition, int]:
    """The offsets to commit once a `getmany` result is applied: each partition's next record."""
    return {tp: records[-1].offset + 1 for tp, records in batches.items() if records}


class OffsetCommits:
    """The offsets of applied batches, committed off the consume loop: one commit request in
    flight at a time, the offsets of batches applied meanwhile merged into the next one. The
    loop fetches its next batch without waiting for the group coordinator's round trip (it
    used to wait for it after every batch, on the inbox path). A failed commit raises at the
    loop's next step, and the supervisor rebuilds the consumer as after any error: offsets
    not committed are delivered again and skipped as processed (`processed_events`).

    A commit starts at most every `interval_s`: each one is a request the broker's group
    coordinator handles and writes to its offsets topic, and committing after every small
    batch cost the broker CPU the inbox path needs. Offsets that wait for the interval are
    committed when it has passed, also while the loop is away (gathering, deferring), so a
    crash or a rebalance costs at most about that long of events delivered again, skipped as
    processed. A clean stop commits everything at once."""

    def __init__(
        self,
        commit: Callable[[dict[TopicPartition, int]], Coroutine[Any, Any, None]],
        *,
        interval_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._commit = commit
        self._pending: dict[TopicPartition, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._interval_s, self._clock = interval_s, clock
        self._started = -math.inf  # when the last commit started
        self._timer: asyncio.TimerHandle | None = None

    def add(self, offsets: dict[TopicPartition, int]) -> None:
        self._pending.update(offsets)
        self.poll()

    def poll(self, *, now: bool = False) -> None:
        """Raise a finished commit's error; start the next commit if offsets wait and the
        interval since the last one has passed (`now`: whatever the interval)."""
        if self._task is not None and self._task.done():
            task, self._task = self._task, None
            task.result()
        self._next(now=now)

    def _next(self, *, now: bool = False) -> None:
        """With offsets waiting and no commit in flight: start one if the interval has passed,
        else set a timer for when it has. The loop (poll), the timer and the end of a commit
        all come here, so offsets go out also while the loop is away."""
        if self._task is not None or not self._pending:
            return
        wait = 0.0 if now else self._started + self._interval_s - self._clock()
        if wait <= 0:
            self._start()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(wait, self._when_due)

    def _start(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        offsets, self._pending = self._pending, {}
        self._started = self._clock()
        self._task = asyncio.create_task(self._commit(offsets))
        self._task.add_done_callback(self._committed)

    def _committed(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or task.exception() is not None:
            return  # the loop's next poll raises it; nothing more is committed before that
        if self._task is task:
            self._task = None
        self._next()

    def _when_due(self) -> None:
        self._timer = None
        self._next()

    async def flush(self) -> None:
        """Commit everything added (a clean stop); raises a commit's error."""
        while self._task is not None or self._pending:
            if self._task is not None:
                await asyncio.wait({self._task})
            self.poll(now=True)

    async def abandon(self) -> None:
        """Stop without committing more (the loop failed: what was not committed is delivered
        again). A commit in flight is cancelled; its error, if it had one, is logged."""
        task, self._task, self._pending = self._task, None, {}
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if task is None:
            return
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the consumer itself is being cancelled, not only our commit
        except Exception as exc:  # the loop's own error is the one raised
            log.warning("offset commit failed while the consumer stopped", error=repr(exc))


class ConsumerStalled(TimeoutError):
    """A call on the Kafka client did not return within the consumer's stall limit."""


@dataclass
class ConsumerStatus:
    state: str = "starting"
    processed_total: int = 0
    duplicates_total: int = 0
    ignored_total: int = 0  # events of types this group has no handler for
    dead_lettered_total: int = 0
    deferred_s: float = 0.0  # time spent paused for a busier consumer (ConsumerSpec.defers_to)
    last_error: str | None = None
    assigned: list[str] = field(default_factory=list)


@dataclass
class Decoded:
    record: Record
    event: Event[Any]


class IdempotentConsumer:
    def __init__(
        self,
        *,
        name: str,
        consumer_factory: Callable[[], AIOKafkaConsumer],
        decoder: SharedDecoder,
        handlers: dict[str, list[Handler]],
        uow_factory: UowFactory,
        dead_letters: DeadLetters,
        batch_size: int = 500,
        max_attempts: int = 3,
        metrics: ServiceMetrics | None = None,
        tracer: Tracer | None = None,  # None: tracing off
        pressure: Pressure | None = None,  # others defer to this consumer: it reports its batches
        defers_to: Pressure | None = None,  # this consumer pauses while that one is busy
        gather_s: float = 0.0,  # after a batch that was not full, wait this long before the next
        stall_s: float = 60.0,  # a Kafka call that takes longer than this: rebuild the consumer
        commit_interval_s: float = 0.0,  # offsets committed at most this often (OffsetCommits)
        lanes: int = 1,  # transactions in flight per batch, one per partition group
    ) -> None:
        self.name = name
        self._build, self._decoder, self._handlers = consumer_factory, decoder, handlers
        self._uow, self._dlq = uow_factory, dead_letters
        self._batch, self._attempts = batch_size, max_attempts
        self.status = ConsumerStatus()
        self._metrics = ConsumerMetrics(metrics, name) if metrics is not None else None
        self._tracer = tracer
        self._pressure, self._defers_to = pressure, defers_to
        self._gather_s = gather_s
        self._stall_s = stall_s
        self._commit_interval_s = commit_interval_s
        self._lanes = max(1, lanes)

    async def _kafka_call(self, what: str, call: Awaitable[T]) -> T:
        limit = asyncio.timeout(self._stall_s)
        try:
            async with limit:
                return await call
        except TimeoutError as exc:
            if not limit.expired():
                raise  # the call's own timeout, not the stall limit
            raise ConsumerStalled(
                f"consumer {self.name}: Kafka {what} took over {self._stall_s:g} s"
            ) from exc

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop`; infrastructure errors propagate to the supervisor, which
        rebuilds the consumer (uncommitted offsets are then delivered again)."""
        self._kafka = self._build()
        await self._kafka_call("start", self._kafka.start())
        commits = OffsetCommits(self._commit, interval_s=self._commit_interval_s)
        clean = False
        try:
            self.status.state = "running"
            full = True  # the last batch was full: a backlog, so no gathering
            while not stop.is_set():
                if self._defers_to is not None:
                    self.status.deferred_s += await self._defers_to.wait_calm(stop)
                if not full and self._gather_s > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), self._gather_s)
                commits.poll()
                batches = await self._kafka_call(
                    "getmany", self._kafka.getmany(timeout_ms=200, max_records=self._batch)
                )
                taken = sum(len(tp_records) for tp_records in batches.values())
                full = taken >= self._batch
                if self._pressure is not None:
                    self._pressure.note_batch(taken)
                if not taken:
                    continue
                await self.process_lanes(split_lanes(batches, self._lanes))
                commits.add(next_offsets(batches))
                self.status.assigned = sorted(f"{tp.topic}:{tp.partition}" for tp in self._kafka.assignment())
            await commits.flush()
            clean = True
        finally:
            if not clean:
                await commits.abandon()
            self.status.state = "stopped"
            try:
                await self._kafka_call("stop", self._kafka.stop())
            except ConsumerStalled as exc:  # the client is dropped; its group member times out
                log.error("Kafka consumer did not stop in time; dropped", consumer=self.name, error=str(exc))

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        # A partition taken away by a rebalance since its batch: its new owner gets those
        # records again and skips them as processed (committing them here would fail).
        assigned = self._kafka.assignment()
        if mine := {tp: offset for tp, offset in offsets.items() if tp in assigned}:
            await self._kafka_call("commit", self._kafka.commit(mine))

    async def process_lanes(self, lanes: Sequence[Sequence[Record]]) -> None:
        """Apply each lane (see `split_lanes`) with `process`, concurrently. Every lane runs
        to its end before an error is raised (the first one), so no transaction is cut off
        and the offsets of the batch are committed only when all lanes succeeded."""
        if len(lanes) == 1:
            await self.process(lanes[0])
            return
        results = await asyncio.gather(*(self.process(lane) for lane in lanes), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        for extra in errors[1:]:
            log.error("another lane of the batch failed too", consumer=self.name, error=repr(extra))
        if errors:
            raise errors[0]

    async def process(self, records: Sequence[Record]) -> None:
        """Apply a batch of records (in partition order) with exactly-once effect."""
        decoded: list[Decoded] = []
        for record in records:
            try:
                event = self._decoder.decode(record.value or b"", self._handlers)
            except EventDecodeError as exc:
                await self._dead_letter(record, exc)
                continue
            if event is None:
                self.status.ignored_total += 1
            else:
                decoded.append(Decoded(record, event))
        if not decoded:
            return
        try:
            await self._apply(decoded)
        except Exception as exc:
            if is_infrastructure_error(exc):
                raise
            log.warning("batch failed; retrying one event at a time", consumer=self.name, error=repr(exc))
            self.status.last_error = repr(exc)
            if self._metrics is not None:
                self._metrics.retried()
            for item in decoded:
                await self._apply_alone(item)

    async def _apply(self, items: Sequence[Decoded]) -> None:
        started = time.perf_counter()
        spans = (
            ConsumeSpans(self._tracer, self.name, [(i.record, i.event) for i in items])
            if self._tracer
            else None
        )
        try:
            # Events the handlers emit about a complaint continue that complaint's trace.
            with parents_by_key(spans.parents) if spans is not None else nullcontext():
                todo, runs = await self._apply_in_transaction(items)
        except BaseException as exc:
            if spans is not None:
                spans.end(exc)
            raise
        if spans is not None:
            spans.end()
        self.status.processed_total += len(todo)
        self.status.duplicates_total += len(items) - len(todo)
        if self._metrics is not None:
            self._metrics.applied(runs, len(items) - len(todo), time.perf_counter() - started)

    async def _apply_in_transaction(
        self, items: Sequence[Decoded]
    ) -> tuple[list[Event[Any]], list[tuple[str, list[Event[Any]], float]]]:
        runs: list[tuple[str, list[Event[Any]], float]] = []
        async with self._uow() as uow:
            ids = list(dict.fromkeys(i.event.id for i in items))
            result = await uow.session.execute(text(MARK_NEW), {"consumer": self.name, "ids": ids})
            fresh = {row[0] for row in result}
            todo, seen = [], set()
            for item in items:
                if item.event.id in fresh and item.event.id not in seen:
                    seen.add(item.event.id)
                    todo.append(item.event)
            for event_type, run in groupby(todo, key=lambda e: e.type):
                events = list(run)
                began = time.perf_counter()
                for handler in self._handlers.get(event_type, ()):
                    await handler(uow, events)
                runs.append((event_type, events, time.perf_counter() - began))
            await uow.commit()
        return todo, runs

    async def _apply_alone(self, item: Decoded) -> None:
        with structlog.contextvars.bound_contextvars(complaint_id=item.event.subject, event_id=item.event.id):
            await self._retry_alone(item)

    async def _retry_alone(self, item: Decoded) -> None:
        for attempt in range(1, self._attempts + 1):
            try:
                await self._apply([item])
                return
            except Exception as exc:
                if is_infrastructure_error(exc):
                    raise
                log.warning(
                    "event failed",
                    consumer=self.name,
                    event_id=item.event.id,
                    event_type=item.event.type,
                    complaint_id=item.event.subject,
                    attempt=attempt,
                    error=repr(exc),
                )
                if attempt == self._attempts:
                    await self._dead_letter(item.record, exc)
                    return
                await asyncio.sleep(0.05 * 2**attempt)

    async def _dead_letter(self, record: Record, exc: BaseException) -> None:
        await self._dlq.send(record, error=exc, consumer=self.name)
        self.status.dead_lettered_total += 1
        if self._metrics is not None:
            self._metrics.dead_lettered(record.topic)
        log.error(
            "message sent to the DLQ",
            consumer=self.name,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            error=repr(exc),
        )
