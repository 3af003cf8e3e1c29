"""Probes on scrape, and several uvicorn workers behind one /metrics (multiprocess mode)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

import pytest
from prometheus_client.core import GaugeMetricFamily, Metric

from huiyin.observability import multiprocess
from huiyin.observability.metrics import ServiceMetrics


async def test_a_failing_probe_costs_only_its_own_figures_and_probes_are_cached() -> None:
    metrics = ServiceMetrics("test")
    calls = {"backlog": 0}

    async def backlog() -> Iterable[Metric]:
        calls["backlog"] += 1
        return [GaugeMetricFamily("huiyin_test_backlog", "rows", value=7)]

    async def broken() -> Iterable[Metric]:
        raise ConnectionRefusedError("kafka is away")

    metrics.add_probe("backlog", backlog, min_interval_s=60)
    metrics.add_probe("lag", broken, min_interval_s=0)
    first = (await metrics.exposition()).decode()
    second = (await metrics.exposition()).decode()

    assert "huiyin_test_backlog 7.0" in first and "huiyin_test_backlog 7.0" in second
    assert calls["backlog"] == 1, "asked again only after its interval"
    assert 'huiyin_metrics_probe_errors_total{probe="lag"} 2.0' in second
    assert 'huiyin_metrics_probe_errors_total{probe="backlog"} 0.0' in second
    with pytest.raises(ValueError, match="twice"):
        metrics.add_probe("lag", broken)


def test_prepare_gives_workers_a_clean_shared_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(multiprocess.ENV, raising=False)
    assert multiprocess.prepare(1) is None and multiprocess.ENV not in os.environ
    (tmp_path / "counter_123.db").write_bytes(b"stale")
    monkeypatch.setenv(multiprocess.ENV, str(tmp_path))
    assert multiprocess.prepare(4) == tmp_path
    assert list(tmp_path.iterdir()) == [], "counts of a previous run are gone"


WORKER = textwrap.dedent(
    """
    import sys
    from huiyin.observability.metrics import ServiceMetrics
    metrics = ServiceMetrics("intake")
    metrics.outbox_published.inc(int(sys.argv[1]))
    metrics.http.labels("POST", "/api/v1/complaints", "201").observe(0.02)
    """
)
SCRAPE = textwrap.dedent(
    """
    import asyncio
    from huiyin.observability.metrics import ServiceMetrics
    print(asyncio.run(ServiceMetrics("intake").exposition()).decode())
    """
)


def test_with_several_workers_the_scrape_sums_every_workers_counters(tmp_path: Path) -> None:
    env = {**os.environ, multiprocess.ENV: str(tmp_path)}
    for published in ("2", "3"):  # two workers, each its own process
        subprocess.run([sys.executable, "-c", WORKER, published], env=env, check=True, timeout=60)
    out = subprocess.run(
        [sys.executable, "-c", SCRAPE], env=env, check=True, timeout=60, capture_output=True, text=True
    ).stdout
    assert "huiyin_outbox_published_total 5.0" in out
    assert (
        'huiyin_http_request_duration_seconds_count{method="POST",route="/api/v1/complaints",status="201"} 2.0'
        in out
    )
