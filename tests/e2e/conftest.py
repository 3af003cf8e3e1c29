"""The whole system as processes, started by the same launcher as `make up`."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from huiyin.devstack.ports import free_ports
from huiyin.devstack.stack import Stack, StackConfig


def e2e_config(root: Path, **env: str) -> StackConfig:
    pg, kafka, controller, intake, routing, feedback = free_ports(6)
    return StackConfig(
        profile="e2e",
        root=root,
        pg_port=pg,
        kafka_port=kafka,
        controller_port=controller,
        http_ports={"intake": intake, "routing": routing, "feedback": feedback},
        env={"LOG_JSON": "true", **env},
    )


@pytest.fixture(scope="session")
def system() -> Iterator[Stack]:
    root = Path(tempfile.mkdtemp(prefix="huiyin-e2e-"))
    root.chmod(0o755)
    stack = Stack(e2e_config(root))
    try:
        stack.up(seed=True)
        yield stack
    finally:
        stack.stop_all()
        shutil.rmtree(root, ignore_errors=True)
