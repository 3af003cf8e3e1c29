"""A service's process-wide parts: engine, unit-of-work factory, background loops, readiness.

`Runtime` is built by a service's `create_app(settings)` and started in the FastAPI
lifespan. Background loops (outbox relay, consumers, schedulers) run under a supervisor
that logs every failure and restarts the loop with backoff, so an outage of Kafka or
PostgreSQL heals without restarting the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import structlog
from aiokafka.client import AIOKafkaClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from huiyin.clock import Clock, SystemClock
from huiyin.db import SessionFactory, UnitOfWork, asyncpg_dsn, create_engine, session_factory
from huiyin.events.registry import REGISTRY
from huiyin.messaging.consumer import IdempotentConsumer
from huiyin.messaging.decoding import SharedDecoder
from huiyin.messaging.dlq import DeadLetters
from huiyin.messaging.handlers import HandlerTable, handlers_by_type
from huiyin.messaging.kafka import PROMPT, FetchPolicy, build_consumer, build_producer
from huiyin.messaging.pressure import Pressure
from huiyin.observability.metrics import ServiceMetrics
from huiyin.observability.tracing import Tracing, build_tracing
from huiyin.outbox.relay import OutboxRelay
from huiyin.settings import ServiceSettings

if TYPE_CHECKING:
    from huiyin.observability.platform_probes import ConsumerLag

log = structlog.get_logger("huiyin.runtime")

Loop = Callable[[asyncio.Event], Awaitable[None]]


@dataclass
class ConsumerSpec:
    group: str
    topics: list[str]
    handlers: HandlerTable
    # The group of a consumer in this process that someone is waiting on: while it takes
    # full batches, this one pauses (huiyin.messaging.pressure). None: never defers.
    defers_to: str | None = None
    # A group nobody waits on at a peak (feedback's) takes a batch that is not full at most
    # this often, so its work comes in fewer, larger transactions and leaves the cores and
    # the database to the inbox path more of the time. 0: take whatever has arrived at once.
    gather_s: float = 0.0
    # Transactions in flight per batch, one per group of partitions (huiyin.messaging.consumer
    # `split_lanes`): only for groups whose handlers touch no rows shared across complaints.
    lanes: int = 1
    # At most this many records per batch (None: CONSUMER_BATCH_SIZE, whichever is smaller).
    # For a group whose batches hold the event loop long, so that a group sharing its
    # process waits less for it.
    max_batch: int | None = None
    # How long the broker may hold this group's fetches (huiyin.messaging.kafka): PROMPT
    # for the inbox path, BULK for groups nobody waits on within a second.
    fetch: FetchPolicy = PROMPT


@dataclass
class LoopState:
    state: str = "not started"
    restarts: int = 0
    last_error: str | None = None


@dataclass
class Runtime:
    settings: ServiceSettings
    engine: AsyncEngine
    sessions: SessionFactory
    clock: Clock
    metrics: ServiceMetrics
    tracing: Tracing
    relay: OutboxRelay | None = None
    consumers: list[IdempotentConsumer] = field(default_factory=list)
    loops: dict[str, Loop] = field(default_factory=dict)
    loop_states: dict[str, LoopState] = field(default_factory=dict)
    # consumer group -> topics, also on a replica that runs no consumers (its /metrics shows lag)
    consumer_groups: dict[str, list[str]] = field(default_factory=dict)
    consumer_lag: ConsumerLag | None = None  # set by huiyin.observability.platform_probes.install
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _kafka_probe: AIOKafkaClient | None = None
    _dead_letters: DeadLetters | None = None

    @property
    def source(self) -> str:
        return f"/huiyin/{self.settings.service_name}"

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, clock=self.clock, source=self.source)

    def add_loop(self, name: str, loop: Loop) -> None:
        self.loops[name] = loop

    async def start(self) -> None:
        if self.relay is not None:
            self.add_loop("outbox-relay", self.relay.run)
        for consumer in self.consumers:
            self.add_loop(f"consumer:{consumer.name}", consumer.run)
        for name, loop in self.loops.items():
            self.loop_states[name] = LoopState()
            self._tasks.append(asyncio.create_task(self._supervise(name, loop), name=name))

    async def close(self) -> None:
        self.stop.set()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=15)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._dead_letters is not None:
            await self._dead_letters.close()
        if self._kafka_probe is not None:
            await self._kafka_probe.close()
        await self.metrics.aclose()
        self.tracing.shutdown()
        await self.engine.dispose()

    async def _supervise(self, name: str, loop: Loop) -> None:
        state, backoff = self.loop_states[name], 0.5
        while not self.stop.is_set():
            state.state = "running"
            started = time.monotonic()
            try:
                await loop(self.stop)
            except Exception as exc:  # logged, surfaced in /ready, and the loop restarted
                state.restarts += 1
                state.last_error = repr(exc)
                state.state = "restarting"
                log.error("background loop failed; restarting", loop=name, backoff_s=backoff, exc_info=exc)
                if time.monotonic() - started > 30:
                    backoff = 0.5
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), timeout=backoff)
                backoff = min(backoff * 2, 10.0)
        state.state = "stopped"

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        checks: dict[str, Any] = {}
        ok = True
        try:
            async with self.engine.connect() as conn:
                await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=2)
            checks["database"] = {"ok": True}
        except Exception as exc:  # reported in the body; readiness is the place for it
            ok = False
            checks["database"] = {"ok": False, "error": repr(exc)}
        try:
            await asyncio.wait_for(self._kafka_metadata(), timeout=3)
            checks["kafka"] = {"ok": True}
        except Exception as exc:
            ok = False
            checks["kafka"] = {"ok": False, "error": repr(exc)}
        loops: dict[str, Any] = {}
        for name, st in self.loop_states.items():
            loops[name] = {"state": st.state, "restarts": st.restarts, "last_error": st.last_error}
        if self.relay is not None:
            loops["outbox-relay"] |= vars(self.relay.status)
        for consumer in self.consumers:
            loops[f"consumer:{consumer.name}"] |= vars(consumer.status)
        checks["loops"] = loops
        return ok, checks

    async def _kafka_metadata(self) -> None:
        if self._kafka_probe is None:
            probe = AIOKafkaClient(
                bootstrap_servers=self.settings.kafka_bootstrap_servers, client_id="ready-probe"
            )
            await probe.bootstrap()
            self._kafka_probe = probe
        await self._kafka_probe.fetch_all_metadata()


def build_runtime(
    settings: ServiceSettings,
    *,
    consumers: list[ConsumerSpec] = (),  # type: ignore[assignment]
    clock: Clock | None = None,
) -> Runtime:
    engine = create_engine(settings.database_url, pool_size=settings.db_pool_size)
    rt = Runtime(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        clock=clock or SystemClock(),
        metrics=ServiceMetrics(settings.service_name),
        tracing=build_tracing(settings),
        consumer_groups={spec.group: list(spec.topics) for spec in consumers},
    )
    bootstrap = settings.kafka_bootstrap_servers
    if settings.run_relay:
        rt.relay = OutboxRelay(
            dsn=asyncpg_dsn(settings.database_url),
            bootstrap=bootstrap,
            client_id=f"{settings.kafka_client_id}-relay",
            batch_size=settings.outbox_batch_size,
            idle_poll_s=settings.outbox_idle_poll_s,
            retention_s=settings.outbox_retention_s,
            sweep_every_s=settings.outbox_sweep_every_s,
            topic_prefix=settings.kafka_topic_prefix,
            metrics=rt.metrics,
            tracer=rt.tracing.tracer if rt.tracing.enabled else None,
        )
    consumers = _consumers_run_here(settings, consumers) if settings.run_consumers else []
    if consumers:
        rt._dead_letters = DeadLetters(
            lambda: build_producer(bootstrap, client_id=f"{settings.kafka_client_id}-dlq")
        )
        # A group defers to one of this process only: in a process of its own the kernel's
        # CPU priority (nice) does that job.
        here = {spec.group for spec in consumers}
        pressures = {
            spec.defers_to: Pressure(
                busy_rate=settings.consumer_defer_busy_rate,
                max_wait_s=settings.consumer_defer_max_s,
            )
            for spec in consumers
            if spec.defers_to in here
        }
        decoder = SharedDecoder(REGISTRY)  # one per process: each message decoded once
        for spec in consumers:
            rt.consumers.append(
                IdempotentConsumer(
                    name=spec.group,
                    consumer_factory=lambda spec=spec: build_consumer(  # type: ignore[misc]
                        bootstrap,
                        group_id=settings.kafka_topic_prefix + spec.group,
                        client_id=settings.kafka_client_id,
                        topics=[settings.kafka_topic_prefix + t for t in spec.topics],
                        fetch=spec.fetch,
                    ),
                    decoder=decoder,
                    handlers=handlers_by_type(spec.handlers),
                    uow_factory=rt.uow,
                    dead_letters=rt._dead_letters,
                    batch_size=min(
                        settings.consumer_batch_size, spec.max_batch or settings.consumer_batch_size
                    ),
                    max_attempts=settings.consumer_max_attempts,
                    metrics=rt.metrics,
                    tracer=rt.tracing.tracer if rt.tracing.enabled else None,
                    pressure=pressures.get(spec.group),
                    defers_to=pressures.get(spec.defers_to) if spec.defers_to else None,
                    gather_s=spec.gather_s,
                    stall_s=settings.consumer_stall_s,
                    commit_interval_s=settings.consumer_commit_interval_s,
                    lanes=spec.lanes,
                )
            )
    return rt


def _consumers_run_here(settings: ServiceSettings, consumers: list[ConsumerSpec]) -> list[ConsumerSpec]:
    """The service's consumer groups this process runs (RUN_CONSUMER_GROUPS; all by default)."""
    groups = {spec.group for spec in consumers}
    if unknown := {s.defers_to for s in consumers if s.defers_to is not None} - groups:
        raise ValueError(f"defers_to names no consumer of this service: {sorted(unknown)}")
    chosen = settings.consumer_groups_run()
    if chosen is None:
        return list(consumers)
    if unknown := chosen - groups:
        raise ValueError(
            f"RUN_CONSUMER_GROUPS names no consumer group of {settings.service_name}: "
            f"{sorted(unknown)} (its groups: {sorted(groups)})"
        )
    return [spec for spec in consumers if spec.group in chosen]
