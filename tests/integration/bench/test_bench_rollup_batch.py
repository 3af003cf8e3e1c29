"""`python -m bench.rollup_batch` on a real PostgreSQL: both ways of following a batch leave
the same counters, and the fills it measures at are really in the buckets (no timing is
asserted; the figures are the benchmark's)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bench.rollup_batch import BATCH, BUCKETS, TOUCHED, _batch, measure
from feedback.adapters import readmodel_rollup
from huiyin.db import create_engine, session_factory
from tests.support.infra import Infra

pytestmark = pytest.mark.integration

DAILY = (
    "SELECT unit_id, assignments, acknowledged, resolved, ack_met, resolve_met FROM fb_rm_daily ORDER BY 1"
)


async def test_both_modes_leave_the_counters_a_recount_gives(infra: Infra) -> None:
    url = infra.create_database("feedback")
    figures = await measure(url, [0, 20], batches=2)
    assert [f["fill"] for f in figures] == [0, 20]
    assert all(f["difference_mean_ms"] > 0 and f["recount_mean_ms"] > 0 for f in figures)
    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            filled = (await session.execute(text(DAILY))).all()
            assert [tuple(r[1:]) for r in filled] == [(20, 20, 20, 20, 20)] * BUCKETS  # rolled back batches
            _, written = await _batch(session, "difference")
            kept = (await session.execute(text(DAILY))).all()
            await readmodel_rollup.recount(session, TOUCHED)
            recounted = (await session.execute(text(DAILY))).all()
            await session.rollback()
    finally:
        await engine.dispose()
    assert written == BATCH and kept == recounted
    assert sum(r[1] for r in kept) == 20 * BUCKETS + BATCH
