"""The outbox does not grow without bound: published rows older than the retention are pruned,
unpublished rows never are."""

from __future__ import annotations

import asyncpg
import pytest

from huiyin.db import asyncpg_dsn
from tests.integration.platform import probe
from tests.support.apps import eventually
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


async def _rows(url: str) -> tuple[int, int]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        row = await conn.fetchrow(
            "SELECT count(*) FILTER (WHERE published_at IS NULL), count(*) FILTER (WHERE published_at IS NOT NULL) FROM outbox"
        )
        return int(row[0]), int(row[1])
    finally:
        await conn.close()


async def test_published_rows_past_retention_are_pruned(infra: Infra, topic_prefix: str) -> None:
    db = infra.create_database("intake", revision="0001")
    rt, relay = probe.producer_with_relay(
        db, infra.kafka_bootstrap, topic_prefix, "prune-test", retention_s=1.0, prune_every_s=0.2
    )
    await rt.start()
    try:
        async with rt.uow() as uow:
            for _ in range(20):
                uow.emit(probe.submitted())
            await uow.commit()
        await eventually(lambda: _rows(db), until=lambda r: r[0] == 0, timeout=30)  # all published
        assert relay.status.published_total == 20
        # ... and then, past the 1 s retention, gone; the relay keeps the table small by itself.
        async with rt.uow() as uow:
            uow.emit(probe.submitted())
            await uow.commit()
        assert await eventually(lambda: _rows(db), until=lambda r: r == (0, 0), timeout=30) == (0, 0)
        assert relay.status.published_total == 21
    finally:
        await rt.close()
