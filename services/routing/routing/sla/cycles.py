"""Shared steps on an armed cycle: its terms, its calendar, and re-planning its timers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from routing.sla import store
from routing.sla.calendar import Calendar, TwentyFourSeven, Workdays, WorkingHours, build_calendar
from routing.sla.plan import DEADLINES, Deadline, DeadlinePlan, next_step, plan_deadline
from routing.sla.policy import Terms
from routing.sla.schedules import merged_schedules
from routing.sla.tables import SlaCycleRow

log = structlog.get_logger("routing.sla")


class UnknownCycle(LookupError):
    """The SLA engine has no such (assignment, cycle): it was never armed."""


@dataclass
class NewCycle:
    """A cycle about to be armed: the columns of its `sla_cycles` row. A consumer batch arms
    hundreds at once, and an ORM instance each costs more than planning their deadlines."""

    assignment_id: UUID
    cycle: int
    complaint_id: UUID
    unit_id: str
    category: str
    priority: str
    policy: dict[str, Any]
    calendar: str
    started_at: datetime
    escalation_units: list[str]
    ack_due: datetime | None = None
    resolve_due: datetime | None = None
    provisional: bool = False
    paused_working_s: float = 0.0  # a new cycle has not been paused

    def columns(self) -> dict[str, Any]:
        return {
            **vars(self),
            "ack_done_at": None,
            "resolve_done_at": None,
            "paused_at": None,
            "paused_total_s": 0.0,
            "cancelled_at": None,
        }


def terms_of(row: SlaCycleRow) -> Terms:
    return Terms.model_validate(row.policy)


async def calendar_for(session: AsyncSession, terms: Terms) -> Calendar:
    if terms.calendar == "24x7":
        return TwentyFourSeven()
    schedules = merged_schedules(await store.loaded_years(session))
    return build_calendar(
        terms.calendar,
        schedules=schedules,
        hours=WorkingHours.parse(terms.working_hours),
        tz=ZoneInfo(terms.timezone),
    )


async def locked(session: AsyncSession, assignment_id: UUID, cycle: int) -> SlaCycleRow:
    row = await store.lock_cycle(session, assignment_id, cycle)
    if row is None:
        raise UnknownCycle(f"no SLA cycle {cycle} for assignment {assignment_id}")
    return row


def plan_one(
    row: SlaCycleRow | NewCycle, terms: Terms, calendar: Calendar, deadline: Deadline
) -> DeadlinePlan:
    return plan_deadline(
        deadline,
        terms=terms,
        start=row.started_at,
        calendar=calendar,
        levels=len(row.escalation_units),
        paused_s=row.paused_working_s if deadline == "resolve" else 0.0,
    )


def plan_both(row: SlaCycleRow | NewCycle, terms: Terms, calendar: Calendar) -> dict[Deadline, DeadlinePlan]:
    return {d: plan_one(row, terms, calendar, d) for d in DEADLINES}


async def replan(
    session: AsyncSession, row: SlaCycleRow, terms: Terms, calendar: Calendar, deadlines: tuple[Deadline, ...]
) -> None:
    """Recompute the given deadlines and swap each one's pending timer for its next step
    as planned now. A step that already fired (a warning sent, a level escalated) is never
    planned again, and a deadline whose breach fired stays where it was: that breach is
    history."""
    plans = plan_both(row, terms, calendar)
    row.provisional = any(p.provisional for p in plans.values())
    fired = await store.fired_kinds(session, row.assignment_id, row.cycle)
    for d in deadlines:
        if f"{d}_breach" in fired:
            continue
        setattr(row, f"{d}_due", plans[d].due)
        await store.cancel_timers(session, row.assignment_id, row.cycle, deadline=d)
        step = next_step(plans[d], fired)
        await store.insert_timers(session, row, [] if step is None else [step])


def warn_if_provisional(row: SlaCycleRow | NewCycle, calendar: Calendar) -> None:
    if not row.provisional or row.resolve_due is None:
        return
    known = calendar.schedules if isinstance(calendar, Workdays) else {}
    years = [y for y in range(row.started_at.year, row.resolve_due.year + 2) if y not in known]
    log.warning(
        "SLA deadline is provisional: no official calendar for the year, counted on weekdays only; "
        "load the year's schedule (PUT /api/v1/admin/calendar/{year}) to recompute it",
        complaint_id=str(row.complaint_id),
        assignment_id=str(row.assignment_id),
        cycle=row.cycle,
        years_without_schedule=years,
    )
