"""Group commit: concurrent requests share one transaction.

Each request queues its prepared item and awaits a future. One flusher task takes
everything queued (up to `max_batch`) and hands it to `flush`, which writes the batch in
one transaction. There is no artificial delay: while one flush runs, the next batch
accumulates, so batches grow with the load and a lone request commits at once.

If a batch fails, its items are retried one at a time so a bad item fails only itself.
An outage (database unreachable) fails every item of the batch with that error, which
the HTTP layer turns into 503 + Retry-After: nothing is ever answered as stored that
was not committed.

With tracing on, each request's trace context travels with its item, so the event of each
filing continues the trace of its own request (huiyin.observability.tracing).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import structlog
from opentelemetry.context import Context

from huiyin.errors import is_infrastructure_error
from huiyin.observability import tracing

log = structlog.get_logger("intake.group_commit")

T = TypeVar("T")
R = TypeVar("R")
Flush = Callable[[Sequence[T]], Awaitable[list[R]]]


class NotAccepting(ConnectionError):
    """The flusher is not running (starting up or shutting down): retry later (503)."""


class GroupCommit(Generic[T, R]):
    def __init__(
        self,
        flush: Flush[T, R],
        *,
        max_batch: int = 200,
        max_queued: int = 20_000,
        wait_timeout_s: float = 30.0,
    ) -> None:
        self._flush, self._max, self._max_queued, self._timeout = flush, max_batch, max_queued, wait_timeout_s
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._wake = asyncio.Event()
        self._closed = False  # set once the flusher stopped for good
        self._traces: dict[int, Context] = {}  # id(item) -> its request's trace context
        self.batches = 0
        self.items = 0

    async def submit(self, item: T) -> R:
        """Queue one item and wait until its batch committed (or failed)."""
        if self._closed:
            raise NotAccepting("filings are not being accepted right now")
        if len(self._queue) >= self._max_queued:
            raise NotAccepting("too many filings waiting for the database")
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        # A caller that timed out no longer reads the outcome; retrieve it so none is "never retrieved".
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._queue.append((item, future))
        if (context := tracing.capture()) is not None:
            self._traces[id(item)] = context
        self._wake.set()
        # shield: a client that disconnects must not cancel the item under the flusher.
        return await asyncio.wait_for(asyncio.shield(future), self._timeout)

    async def run(self, stop: asyncio.Event) -> None:
        """The flusher loop; after `stop` it drains what is queued, then returns. Items
        queued before it starts (the app serves as soon as its loops are scheduled) wait."""
        try:
            while True:
                self._wake.clear()
                if self._queue:
                    batch, self._queue = self._queue[: self._max], self._queue[self._max :]
                    await self._commit(batch)
                elif stop.is_set():
                    return
                else:
                    await _first_of(self._wake, stop)
        finally:
            self._closed = stop.is_set()
            queued, self._queue = self._queue, []
            self._traces.clear()
            for _, future in queued:
                if not future.done():
                    future.set_exception(NotAccepting("the service is shutting down"))

    async def _commit(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        parents = {
            str(getattr(item, "complaint_id", "")): context
            for item, _ in batch
            if (context := self._traces.pop(id(item), None)) is not None
        }
        with tracing.parents_by_key(parents):
            await self._commit_traced(batch)

    async def _commit_traced(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        self.batches += 1
        self.items += len(batch)
        try:
            results = await self._flush([item for item, _ in batch])
        except Exception as exc:  # every item gets an outcome below; nothing is dropped
            if is_infrastructure_error(exc) or len(batch) == 1:
                _fail(batch, exc)
                return
            log.warning(
                "batch failed; committing its items one by one", size=len(batch), error=type(exc).__name__
            )
            await self._one_by_one(batch)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)

    async def _one_by_one(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        for i, (item, future) in enumerate(batch):
            try:
                (result,) = await self._flush([item])
            except Exception as exc:
                if is_infrastructure_error(exc):
                    _fail(batch[i:], exc)  # the rest would meet the same outage
                    return
                if not future.done():
                    future.set_exception(exc)
                continue
            if not future.done():
                future.set_result(result)


def _fail(batch: Sequence[tuple[object, asyncio.Future[R]]], exc: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(exc)


async def _first_of(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()
