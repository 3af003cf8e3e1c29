"""Fixtures shared by every tier: real infrastructure, fresh databases, isolated topics."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from huiyin.messaging.topics_admin import ensure_topics
from tests.support.infra import Infra, provide_infra


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    # Not tmp_path: as root that lies under a 0700 dir the unprivileged PostgreSQL user cannot enter.
    root = Path(tempfile.mkdtemp(prefix="huiyin-infra-"))
    root.chmod(0o755)
    try:
        with provide_infra(root) as provided:
            yield provided
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def topic_prefix(infra: Infra) -> str:
    """A unique prefix for every topic of one test: tests never see each other's events."""
    prefix = f"t{uuid.uuid4().hex[:8]}."
    asyncio.run(ensure_topics(infra.kafka_bootstrap, partitions=3, prefix=prefix))
    return prefix
