"""The Prometheus metrics of one service process.

Two kinds: counters and histograms updated on the hot paths (HTTP requests, outbox relay,
consumers), which cost a dictionary look-up and an add; and gauges that need a query
(outbox backlog, consumer lag, SLA timers), computed by *probes* only when `/metrics` is
scraped, never on the hot path.

Each app has its own registry, so several services in one test process keep their figures
apart. With several uvicorn workers, set PROMETHEUS_MULTIPROC_DIR (an empty directory per
start): counters and histograms are then summed over the workers by prometheus-client's
multiprocess mode, and the probes run in whichever worker answers the scrape.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from huiyin.events.envelope import Event, EventData
from huiyin.observability.probing import Probe, ProbeSet

HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
WORK_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
Observer = Callable[[Sequence[Event[Any]]], None]


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = r = CollectorRegistry()
        self.http = Histogram(
            "huiyin_http_request_duration_seconds",
            "HTTP requests by route template and status, with their latency",
            ["method", "route", "status"],
            buckets=HTTP_BUCKETS,
            registry=r,
        )
        self.outbox_published = Counter(
            "huiyin_outbox_published", "outbox rows the relay published to Kafka (acknowledged)", registry=r
        )
        self.outbox_batch_seconds = Histogram(
            "huiyin_outbox_publish_batch_seconds",
            "time to publish one batch of outbox rows, Kafka acknowledgements included",
            buckets=WORK_BUCKETS,
            registry=r,
        )
        self.outbox_errors = Counter(
            "huiyin_outbox_relay_errors", "relay steps that failed (retried with backoff)", registry=r
        )
        self.consumer_events = Counter(
            "huiyin_consumer_events", "events applied (committed) by a consumer group",
            ["group", "event_type"], registry=r,
        )  # fmt: skip
        self.consumer_duplicates = Counter(
            "huiyin_consumer_duplicates",
            "redelivered events skipped by a consumer group",
            ["group"],
            registry=r,
        )
        self.handler_seconds = Histogram(
            "huiyin_consumer_handler_seconds",
            "handler time for one run of consecutive events of one type",
            ["group", "event_type"],
            buckets=WORK_BUCKETS,
            registry=r,
        )
        self.batch_seconds = Histogram(
            "huiyin_consumer_batch_seconds",
            "one consumer batch: handlers and commit",
            ["group"],
            buckets=WORK_BUCKETS,
            registry=r,
        )
        self.batch_retries = Counter(
            "huiyin_consumer_batch_retries",
            "batches that failed and were replayed one event at a time",
            ["group"],
            registry=r,
        )
        self.dead_lettered = Counter(
            "huiyin_consumer_dead_lettered",
            "messages a consumer group sent to a DLQ",
            ["group", "topic"],
            registry=r,
        )
        self.probes = ProbeSet(r)
        # consumer group -> event type -> observers, run after the group committed the events
        self._observers: dict[str, dict[str, list[Observer]]] = {}
        self._closers: list[Callable[[], Awaitable[None]]] = []

    def add_probe(self, name: str, probe: Probe, *, min_interval_s: float = 5.0) -> None:
        self.probes.add(name, probe, min_interval_s=min_interval_s)

    def observe_events(self, group: str, event: type[EventData], observer: Observer) -> None:
        """Call `observer` with the events of this type that `group` applied (after commit)."""
        self.observers_for(group).setdefault(event.event_type, []).append(observer)

    def observers_for(self, group: str) -> dict[str, list[Observer]]:
        return self._observers.setdefault(group, {})

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Release a probe's clients (Kafka, ...) when the runtime closes."""
        self._closers.append(closer)

    async def aclose(self) -> None:
        for closer in self._closers:
            await closer()

    async def exposition(self) -> bytes:
        await self.probes.refresh()
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            return generate_latest(self.registry)
        # Several workers: counters and histograms from every worker's files, probes from this one.
        merged = CollectorRegistry()
        MultiProcessCollector(merged)
        merged.register(self.probes)
        return generate_latest(merged)


class ConsumerMetrics:
    """One consumer group's children of the service's metrics, bound once."""

    def __init__(self, metrics: ServiceMetrics, group: str) -> None:
        self._m, self._group = metrics, group
        self._duplicates = metrics.consumer_duplicates.labels(group)
        self._batch = metrics.batch_seconds.labels(group)
        self._retries = metrics.batch_retries.labels(group)
        self._observers = metrics.observers_for(group)  # filled in later by the service

    def applied(
        self, runs: Sequence[tuple[str, Sequence[Event[Any]], float]], duplicates: int, seconds: float
    ) -> None:
        """After commit: each run is (event type, events, handler seconds)."""
        for event_type, events, took in runs:
            self._m.consumer_events.labels(self._group, event_type).inc(len(events))
            self._m.handler_seconds.labels(self._group, event_type).observe(took)
            for observer in self._observers.get(event_type, ()):
                observer(events)
        if duplicates:
            self._duplicates.inc(duplicates)
        self._batch.observe(seconds)

    def retried(self) -> None:
        self._retries.inc()

    def dead_lettered(self, topic: str) -> None:
        self._m.dead_lettered.labels(self._group, topic).inc()
