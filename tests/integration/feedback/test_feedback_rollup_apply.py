"""The counter tables written by difference, on a real PostgreSQL, with changes chosen so
every case happens (a consumer's batching decides whether a scenario meets them): a fact
moving day inside a month and across months, a bucket and a month coming to zero, and a
recount removing a row a batch left at zero."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.adapters.readmodel_rollup import apply_change, recount
from feedback.adapters.readmodel_tables import COUNTERS
from huiyin.db import create_engine, session_factory
from tests.support.infra import Infra

pytestmark = pytest.mark.integration

MAR2, MAR9, APR1 = date(2026, 3, 2), date(2026, 3, 9), date(2026, 4, 1)


def vec(**counters: int) -> tuple[int, ...]:
    return tuple(counters.get(c, 0) for c in COUNTERS)


async def tables(session: AsyncSession) -> tuple[dict[Any, int], dict[Any, int]]:
    """(daily, monthly) assignments per key."""
    daily = await session.execute(text("SELECT unit_id, day, assignments FROM fb_rm_daily"))
    monthly = await session.execute(text("SELECT unit_id, month, assignments FROM fb_rm_monthly"))
    return {(u, d): n for u, d, n in daily}, {(u, m): n for u, m, n in monthly}


async def test_changes_move_counts_and_remove_what_comes_to_zero(infra: Infra) -> None:
    engine = create_engine(infra.create_database("feedback"), pool_size=1)
    try:
        async with session_factory(engine)() as session:
            a, b = ("u-a", "noise", MAR2), ("u-b", "noise", MAR2)
            await apply_change(session, {}, {a: vec(assignments=2), b: vec(assignments=1)})
            assert await tables(session) == (
                {("u-a", MAR2): 2, ("u-b", MAR2): 1},
                {("u-a", date(2026, 3, 1)): 2, ("u-b", date(2026, 3, 1)): 1},
            )
            # u-a's facts move to another day of March, u-b's to April
            await apply_change(
                session,
                {a: vec(assignments=2), b: vec(assignments=1)},
                {("u-a", "noise", MAR9): vec(assignments=2), ("u-b", "noise", APR1): vec(assignments=1)},
            )
            assert await tables(session) == (
                {("u-a", MAR9): 2, ("u-b", APR1): 1},
                {("u-a", date(2026, 3, 1)): 2, ("u-b", date(2026, 4, 1)): 1},
            )
            # a row a batch left at zero (as a consumer without the removal would) goes at a recount
            await session.execute(
                text("INSERT INTO fb_rm_daily (unit_id, category, day) VALUES ('u-c', 'noise', :d)"),
                {"d": MAR2},
            )
            await recount(session, [("u-c", "noise", MAR2), ("u-a", "noise", MAR9)])
            # u-a's day has no facts behind it in this database: the recount takes it off too
            assert await tables(session) == ({("u-b", APR1): 1}, {("u-b", date(2026, 4, 1)): 1})
            await session.rollback()
    finally:
        await engine.dispose()
