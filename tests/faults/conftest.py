"""The fault suite's system: Kafka, PostgreSQL and the three services as real processes,
started by the same launcher as `make up`, on their own ports and data dirs.

SLAs run a thousand times faster and on wall time (ROUTING_SLA_SCALE, FORCE_24X7), so every
complaint's acknowledgement deadline passes within seconds: each one must then produce
exactly one ack warning, one breach and two escalation levels, whatever fault was injected.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from huiyin.devstack.stack import Stack
from tests.e2e.conftest import e2e_config

FAULT_ENV = {
    "ROUTING_SLA_SCALE": "0.001",  # normal priority: acknowledge within 7.2 s, resolve in 7.2 min
    "ROUTING_SLA_FORCE_24X7": "true",
    "INTAKE_FILING_RATE_PER_MINUTE": "2500",
    "OUTBOX_IDLE_POLL_S": "0.5",
    # A consumer stuck in aiokafka (a group that never finishes rejoining) is rebuilt well
    # within a test's settling time; a rebalance here takes seconds (session timeout 10 s).
    "CONSUMER_STALL_S": "30",
}


@pytest.fixture(scope="session")
def faulty() -> Iterator[Stack]:
    root = Path(tempfile.mkdtemp(prefix="huiyin-faults-"))
    root.chmod(0o755)
    stack = Stack(e2e_config(root, **FAULT_ENV))
    try:
        stack.up(seed=True)
        yield stack
    finally:
        stack.stop_all()
        # Keep the services' logs for a post-mortem (git-ignored).
        keep = Path(__file__).resolve().parents[2] / ".artifacts" / "faults-logs"
        shutil.rmtree(keep, ignore_errors=True)
        if (root / "logs").exists():
            shutil.copytree(root / "logs", keep)
            shutil.copy(stack.postgres.log_path, keep / "postgres.log")
        shutil.rmtree(root, ignore_errors=True)
