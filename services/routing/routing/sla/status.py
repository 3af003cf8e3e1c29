"""What /ready says about the SLA engine: the scheduler, and provisional deadlines (loudly)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import func, or_, select

from huiyin.db import UnitOfWork
from routing.sla import store
from routing.sla.schedules import missing_years
from routing.sla.tables import SlaCycleRow, cols

C = cols(SlaCycleRow)

log = structlog.get_logger("routing.sla")


@dataclass
class SlaStatus:
    scheduler: str = "not installed"
    claimed_total: int = 0
    last_fired_at: str | None = None
    provisional_open: int | None = None  # open cycles with a deadline on a guessed calendar
    years_without_schedule: list[int] = field(default_factory=list)  # this year and the next
    checked_at: str | None = None


STATUS = SlaStatus()


def ready_detail() -> dict[str, Any]:
    """The `sla` section of /ready (read from memory: /ready must not wait on the DB twice)."""
    warnings = []
    if STATUS.provisional_open:
        warnings.append(
            f"{STATUS.provisional_open} open SLA cycle(s) have provisional deadlines counted on weekdays "
            "only: load the official schedule of the missing year (PUT /api/v1/admin/calendar/{year})"
        )
    if STATUS.years_without_schedule:
        years = ", ".join(map(str, STATUS.years_without_schedule))
        warnings.append(f"no official holiday schedule for {years}: deadlines there will be provisional")
    return {"sla": {**asdict(STATUS), "warnings": warnings}}


async def refresh(uow: UnitOfWork, *, now: datetime, timezone: str) -> None:
    open_provisional = select(func.count()).where(
        C.provisional,
        C.cancelled_at.is_(None),
        or_(C.ack_done_at.is_(None), C.resolve_done_at.is_(None)),
    )
    STATUS.provisional_open = int((await uow.session.execute(open_provisional)).scalar_one())
    year = now.astimezone(ZoneInfo(timezone)).year
    STATUS.years_without_schedule = missing_years([year, year + 1], await store.loaded_years(uow.session))
    STATUS.checked_at = now.isoformat()
    if STATUS.provisional_open:
        log.warning(
            "open SLA cycles have provisional deadlines: an official calendar year is missing",
            provisional_open=STATUS.provisional_open,
            years_without_schedule=STATUS.years_without_schedule,
        )
