"""Probes: async functions that measure something (a backlog, a lag) when /metrics is scraped.

prometheus-client collects synchronously, so `/metrics` first awaits `refresh()`, which runs
every probe whose last answer is older than its interval, and the collector then yields the
stored answers. A probe that fails or times out yields nothing (no stale figure is shown as
current) and counts in `huiyin_metrics_probe_errors_total`; the others are unaffected.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field

import structlog
from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = structlog.get_logger("huiyin.metrics")

Probe = Callable[[], Awaitable[Iterable[Metric]]]
PROBE_TIMEOUT_S = 5.0


@dataclass
class _Entry:
    probe: Probe
    min_interval_s: float
    families: list[Metric] = field(default_factory=list)
    at: float = float("-inf")
    errors: int = 0
    seconds: float = 0.0


class ProbeSet(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lock = asyncio.Lock()
        registry.register(self)

    def add(self, name: str, probe: Probe, *, min_interval_s: float = 5.0) -> None:
        if name in self._entries:
            raise ValueError(f"probe {name!r} added twice")
        self._entries[name] = _Entry(probe, min_interval_s)

    async def refresh(self) -> None:
        async with self._lock:  # scrapes arriving together share one round of probes
            now = time.monotonic()
            due = [(n, e) for n, e in self._entries.items() if now - e.at >= e.min_interval_s]
            await asyncio.gather(*(self._run(n, e) for n, e in due))

    async def _run(self, name: str, entry: _Entry) -> None:
        started = time.monotonic()
        try:
            entry.families = list(await asyncio.wait_for(entry.probe(), timeout=PROBE_TIMEOUT_S))
        except Exception as exc:  # reported as a metric and a log line; other probes go on
            entry.families, entry.errors = [], entry.errors + 1
            log.warning("metrics probe failed", probe=name, error=repr(exc))
        entry.at = time.monotonic()
        entry.seconds = entry.at - started

    def describe(self) -> Iterable[Metric]:
        return []  # families vary with what the probes find; never collect at registration

    def collect(self) -> Iterator[Metric]:
        errors = CounterMetricFamily(
            "huiyin_metrics_probe_errors", "probes of /metrics that failed or timed out", labels=["probe"]
        )
        took = GaugeMetricFamily(
            "huiyin_metrics_probe_seconds", "how long each probe of /metrics took", labels=["probe"]
        )
        for name, entry in self._entries.items():
            errors.add_metric([name], entry.errors)
            took.add_metric([name], entry.seconds)
            yield from entry.families
        yield errors
        yield took
