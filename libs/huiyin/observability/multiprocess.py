"""Several uvicorn workers, one /metrics: prometheus-client's multiprocess mode.

Each worker writes its counters and histograms to files in PROMETHEUS_MULTIPROC_DIR, and the
worker that answers a scrape sums them all (huiyin.observability.metrics). The directory
must be set before the workers start and emptied at each start, or a restarted service
would add the counts of its previous run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare(workers: int) -> Path | None:
    """Call in the parent before it starts `workers` workers; returns the directory used."""
    if workers <= 1:
        return None
    configured = os.environ.get(ENV)
    path = Path(configured) if configured else Path(tempfile.mkdtemp(prefix="huiyin-metrics-"))
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ[ENV] = str(path)
    return path
