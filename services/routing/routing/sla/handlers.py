"""The SLA engine's own use cases (admin and supervision actions). Each owns its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from huiyin.db import UowFactory
from huiyin.events.sla import ComplaintEscalated
from huiyin.http.errors import DomainError
from routing.sla.firing import escalate_all
from routing.sla.policy import Policy
from routing.sla.recompute import recompute_for_year
from routing.sla.schedules import YearSchedule, parse_days
from routing.sla.tables import SlaCalendarYearRow, SlaCycleRow, SlaEscalationRow, SlaPolicyRow, cols

C, E = cols(SlaCycleRow), cols(SlaEscalationRow)


async def save_policy(
    uow: UowFactory, *, category: str, priority: str, policy: Policy, by: str
) -> SlaPolicyRow:
    """Create or replace a policy. Cycles armed before keep their snapshot."""
    async with uow() as u:
        values = {**policy.model_dump(mode="json"), "updated_at": u.clock.now(), "updated_by": by}
        stmt = (
            insert(SlaPolicyRow)
            .values(category=category, priority=priority, **values)
            .on_conflict_do_update(index_elements=["category", "priority"], set_=values)
            .returning(SlaPolicyRow)
        )
        row = (await u.session.execute(stmt)).scalar_one()
        await u.commit()
        return row


@dataclass(frozen=True)
class CalendarLoad:
    year: int
    holidays: int
    workdays: int
    recomputed: int


def parse_schedule(year: int, holidays: list[str], workdays: list[str]) -> YearSchedule:
    """A year's schedule from the API or a file; a bad date or an inconsistent day -> 422."""
    try:
        return YearSchedule(year=year, holidays=parse_days(holidays), workdays=parse_days(workdays))
    except ValueError as exc:
        raise DomainError(422, f"invalid schedule for {year}: {exc}") from exc


async def load_calendar_year(
    uow: UowFactory, schedule: YearSchedule, *, source: str, by: str
) -> CalendarLoad:
    """Store the year's official schedule (replacing any loaded before) and recompute the
    deadlines it changes, in one transaction."""
    async with uow() as u:
        now = u.clock.now()
        values = {
            "holidays": sorted(d.isoformat() for d in schedule.holidays),
            "workdays": sorted(d.isoformat() for d in schedule.workdays),
            "source": source,
            "loaded_at": now,
            "loaded_by": by,
        }
        await u.session.execute(
            insert(SlaCalendarYearRow)
            .values(year=schedule.year, **values)
            .on_conflict_do_update(index_elements=["year"], set_=values)
        )
        recomputed = await recompute_for_year(u, year=schedule.year, now=now)
        await u.commit()
    return CalendarLoad(schedule.year, len(schedule.holidays), len(schedule.workdays), recomputed)


async def force_escalate(uow: UowFactory, *, complaint_id: UUID, reason: str, by: str) -> ComplaintEscalated:
    """Supervision escalates the complaint's open cycle to the next unit in its chain."""
    async with uow() as u:
        cycle = (
            await u.session.execute(
                select(SlaCycleRow)
                .where(C.complaint_id == complaint_id, C.cancelled_at.is_(None))
                .order_by(C.started_at.desc())
                .limit(1)
                .with_for_update()
            )
        ).scalar_one_or_none()
        if cycle is None:
            raise DomainError(404, "no open SLA cycle for this complaint", complaint_id=str(complaint_id))
        if cycle.resolve_done_at is not None:
            raise DomainError(409, "the complaint is resolved: nothing left to escalate")
        kind = "ack" if cycle.ack_done_at is None else "resolve"
        reached = (
            await u.session.execute(
                select(func.coalesce(func.max(E.level), 0)).where(
                    E.assignment_id == cycle.assignment_id,
                    E.cycle == cycle.cycle,
                )
            )
        ).scalar_one()
        now = u.clock.now()
        facts = {
            "complaint_id": cycle.complaint_id,
            "assignment_id": cycle.assignment_id,
            "unit_id": cycle.unit_id,
            "cycle": cycle.cycle,
            "kind": kind,
            "due": cycle.ack_due if kind == "ack" else cycle.resolve_due,
            "at": now,
        }
        events = await escalate_all(u, [(cycle, facts, reached + 1)], forced_by=by, reason=reason)
        if not events:
            raise DomainError(409, "already escalated to every unit in the chain", levels=reached)
        await u.commit()
        return events[0]
