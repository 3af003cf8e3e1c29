"""The outbox relay: publishes committed outbox rows to Kafka in batches, in order per key.

Safe with N replicas: rows are split into lanes by key, and a relay publishes a lane only
while it holds that lane's PostgreSQL advisory lock (on its own connection, so a relay that
dies frees its lanes at once). It wakes on NOTIFY from the outbox insert trigger and polls
slowly as a fallback, so an idle system does not spin on the table. Polls start from a
floor (`scan_floor`), not from the first id, with a full sweep every few seconds. A row is marked
published only after Kafka acknowledged it (acks=all); a crash in between republishes, and
the idempotent consumers drop the duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from opentelemetry.trace import Span, Tracer

from huiyin import jsonutil
from huiyin.db import asyncpg_connect_args
from huiyin.messaging.kafka import build_producer
from huiyin.observability.kafka_spans import publish_span
from huiyin.observability.metrics import ServiceMetrics
from huiyin.outbox.scan_floor import ScanFloor
from huiyin.outbox.writer import DEFAULT_LANES

log = structlog.get_logger("huiyin.outbox.relay")

LOCK_BASE = 0x48594F00  # "HYO" + lane: advisory lock ids of the outbox lanes
NOTIFY_CHANNEL = "huiyin_outbox"
PUBLISH_TIMEOUT_S = 30.0
FETCH = """
SELECT id, topic, key, payload, headers, created_at FROM outbox
 WHERE published_at IS NULL AND lane = ANY($1::smallint[]) AND id > $3
 ORDER BY id LIMIT $2
"""
MARK = "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])"
PRUNE = """
DELETE FROM outbox WHERE id IN (
  SELECT id FROM outbox WHERE published_at < now() - make_interval(secs => $1) LIMIT 10000)
"""


@dataclass
class RelayStatus:
    state: str = "starting"
    lanes: list[int] = field(default_factory=list)
    published_total: int = 0
    last_error: str | None = None
    last_publish_at: float | None = None
    poll_floor: int = 0  # the last poll read ids above this one (0: a full sweep)


class OutboxRelay:
    def __init__(
        self,
        *,
        dsn: str,
        bootstrap: str,
        client_id: str,
        batch_size: int = 500,
        idle_poll_s: float = 1.0,
        retention_s: float = 7 * 24 * 3600,
        lanes: int = DEFAULT_LANES,
        topic_prefix: str = "",
        metrics: ServiceMetrics | None = None,
        tracer: Tracer | None = None,  # None: tracing off
        prune_every_s: float = 60.0,
        lookback_s: float = 5.0,
        sweep_every_s: float = 5.0,
    ) -> None:
        self._prefix = topic_prefix
        self._prune_every = prune_every_s
        self._metrics, self._tracer = metrics, tracer
        self._dsn, self._bootstrap, self._client_id = dsn, bootstrap, client_id
        self._batch, self._idle, self._retention, self._lanes = (
            batch_size,
            idle_poll_s,
            retention_s,
            lanes,
        )
        self._conn: asyncpg.Connection | None = None
        self._producer: AIOKafkaProducer | None = None
        self._owned: set[int] = set()
        self._floor = ScanFloor(lookback_s=lookback_s, sweep_every_s=sweep_every_s)
        self._wake = asyncio.Event()
        self._last_claim = 0.0
        self._last_prune = 0.0
        self.status = RelayStatus()

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            try:
                published = await self._step()
                backoff = 0.2
                if not published:
                    await self._sleep(stop, self._idle)
            except Exception as exc:  # every failure is logged, surfaced in status, retried
                self.status.state, self.status.last_error = "retrying", repr(exc)
                if self._metrics is not None:
                    self._metrics.outbox_errors.inc()
                log.warning("outbox relay step failed; retrying", error=repr(exc), backoff_s=backoff)
                await self._reset(producer_only=not _is_db_error(exc))
                await self._back_off(stop, backoff)
                backoff = min(backoff * 2, 5.0)
        await self._reset(producer_only=False)
        self.status.state = "stopped"

    async def _step(self) -> int:
        conn = await self._connection()
        await self._claim_lanes(conn)
        if not self._owned:
            self.status.state = "standby (lanes held by other relays)"
            return 0
        self._wake.clear()
        self.status.poll_floor = self._floor.next_poll()
        rows = await conn.fetch(FETCH, sorted(self._owned), self._batch, self.status.poll_floor)
        await self._maybe_prune(conn)
        if not rows:
            self.status.state = "running"
            return 0
        producer = await self._producer_started()
        started = time.perf_counter()
        spans: list[Span] = []
        futures = [
            await producer.send(
                self._prefix + r["topic"],
                value=bytes(r["payload"]),
                key=r["key"].encode(),
                headers=[(k, str(v).encode()) for k, v in self._headers(r, spans).items()],
            )
            for r in rows
        ]
        try:
            # A wedged idempotent producer may never resolve its futures (rather than fail
            # them): time out, and the failure path throws it away and builds a new one.
            await asyncio.wait_for(asyncio.gather(*futures), timeout=PUBLISH_TIMEOUT_S)
        finally:
            for span in spans:
                span.end()
        ids = [r["id"] for r in rows]
        await conn.execute(MARK, ids)
        self._floor.published(max(ids))
        if self._metrics is not None:
            self._metrics.outbox_published.inc(len(rows))
            self._metrics.outbox_batch_seconds.observe(time.perf_counter() - started)
        self.status.state, self.status.last_error = "running", None
        self.status.published_total += len(rows)
        self.status.last_publish_at = time.time()
        return len(rows)

    def _headers(self, row: asyncpg.Record, spans: list[Span]) -> dict[str, Any]:
        headers: dict[str, Any] = row["headers"] or {}
        if self._tracer is None or "traceparent" not in headers:
            return headers
        traced = publish_span(
            self._tracer, topic=row["topic"], key=row["key"], headers=headers, created_at=row["created_at"]
        )
        if traced is None:
            return headers
        spans.append(traced[0])
        return traced[1]

    async def _connection(self) -> asyncpg.Connection:
        if self._conn is None or self._conn.is_closed():
            self._owned.clear()
            self._floor.reset()
            self._conn = await asyncpg.connect(self._dsn, **asyncpg_connect_args(self._dsn))
            await self._conn.set_type_codec(
                "jsonb", schema="pg_catalog", encoder=jsonutil.dumps_str, decoder=jsonutil.loads
            )
            await self._conn.add_listener(NOTIFY_CHANNEL, lambda *_: self._wake.set())
            self._last_claim = 0.0
        return self._conn

    async def _claim_lanes(self, conn: asyncpg.Connection) -> None:
        # Lanes freed by a dead replica are picked up within a few seconds.
        if len(self._owned) == self._lanes or time.monotonic() - self._last_claim < 3.0:
            return
        self._last_claim = time.monotonic()
        for lane in range(self._lanes):
            if lane not in self._owned and await conn.fetchval(
                "SELECT pg_try_advisory_lock($1)", LOCK_BASE + lane
            ):
                self._owned.add(lane)
                self._floor.reset()  # a lane taken over may hold rows below the floor
        self.status.lanes = sorted(self._owned)

    async def _maybe_prune(self, conn: asyncpg.Connection) -> None:
        if 0 in self._owned and time.monotonic() - self._last_prune > self._prune_every:
            self._last_prune = time.monotonic()
            await conn.execute(PRUNE, float(self._retention))

    async def _producer_started(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = build_producer(self._bootstrap, client_id=self._client_id)
            try:
                await producer.start()
            except Exception:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _reset(self, *, producer_only: bool) -> None:
        # A failed idempotent producer can stay wedged (e.g. OutOfOrderSequenceNumber after a
        # broker restart): throw it away and build a fresh one on the next step.
        producer, self._producer = self._producer, None
        if producer is not None:
            await _close_logged("producer", producer.stop())
        if not producer_only and self._conn is not None:
            conn, self._conn = self._conn, None
            self._owned.clear()
            await _close_logged("database connection", conn.close())

    async def _back_off(self, stop: asyncio.Event, seconds: float) -> None:
        """After a failure: wait the whole backoff (a pending NOTIFY must not cut it short,
        or an outage turns the retry loop into a busy loop that starves the process)."""
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)

    async def _sleep(self, stop: asyncio.Event, seconds: float) -> None:
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()


async def _close_logged(what: str, closing: Awaitable[None]) -> None:
    """Closing a client that already failed may fail too: say so, and go on rebuilding it."""
    try:
        await asyncio.wait_for(closing, timeout=5)
    except Exception as exc:
        log.warning("closing a failed client failed; a new one is built", client=what, error=repr(exc))


def _is_db_error(exc: BaseException) -> bool:
    return isinstance(exc, (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, ConnectionError))
