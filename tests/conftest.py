"""Fixtures shared by every tier: real infrastructure, fresh databases, isolated topics."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from huiyin.messaging.topics_admin import ensure_topics
from tests.support.infra import Infra, provide_infra


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
    root: Path = tmp_path_factory.mktemp("infra")
    with provide_infra(root) as provided:
        yield provided


@pytest.fixture
def topic_prefix(infra: Infra) -> str:
    """A unique prefix for every topic of one test: tests never see each other's events."""
    prefix = f"t{uuid.uuid4().hex[:8]}."
    asyncio.run(ensure_topics(infra.kafka_bootstrap, partitions=3, prefix=prefix))
    return prefix
