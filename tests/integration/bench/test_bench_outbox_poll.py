"""`python -m bench.outbox_poll` runs on a real PostgreSQL: every poll it measures publishes
every row it inserted (no timing is asserted; the figures are the benchmark's)."""

from __future__ import annotations

import asyncpg
import pytest

from bench.outbox_poll import measure
from huiyin.db import asyncpg_dsn
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("poll", ["floor", "zero", "before"])
async def test_each_poll_publishes_every_row(infra: Infra, poll: str) -> None:
    dsn = asyncpg_dsn(infra.create_database("intake", revision="0001"))
    figures = await measure(dsn, 50_000, poll)
    assert [done for done, _, _ in figures] == [50_000]
    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 50_000
    finally:
        await conn.close()
