"""What a snapshot is computed from: the accountability read model, city-wide, through the
supervision queries (feedback.adapters.metrics_queries), never a second way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.adapters import metrics_queries as q
from feedback.domain.scope import Scope
from feedback.public.domain.months import month_period


@dataclass(frozen=True)
class MonthInputs:
    units: list[dict[str, Any]]
    unit_counts: dict[str, dict[str, int]]
    district_counts: dict[str, dict[str, int]]


async def month_inputs(session: AsyncSession, month: date) -> MonthInputs:
    f = q.Filters(period=month_period(month), scope=Scope(city_wide=True))
    return MonthInputs(
        units=await q.units(session, f),
        unit_counts=await q.counts(session, f, "unit"),
        district_counts=await q.counts(session, f, "district"),
    )


async def earliest_day(session: AsyncSession) -> date | None:
    """The first day the read model counts anything on (months before it have no figures)."""
    return (await session.execute(text("SELECT min(day) FROM fb_rm_daily"))).scalar_one()
