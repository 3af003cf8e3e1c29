"""What routing's handlers call inside their own unit of work. Nothing here commits.

Every function locks the cycle row first, so a settle and the scheduler firing the same
cycle never interleave: whichever commits first wins and the other sees its result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from huiyin.db import UnitOfWork
from routing.sla import config, store
from routing.sla.calendar import Calendar
from routing.sla.cycles import (
    NewCycle,
    UnknownCycle,
    calendar_for,
    locked,
    plan_both,
    replan,
    terms_of,
    warn_if_provisional,
)
from routing.sla.plan import Deadline, DeadlinePlan, TimerPlan, next_step
from routing.sla.policy import Terms, apply_terms
from routing.sla.tables import SlaCycleRow

__all__ = [
    "ArmRequest",
    "Deadlines",
    "Outcome",
    "UnknownCycle",
    "arm_cycle",
    "arm_cycles",
    "cancel_cycle",
    "pause",
    "resume",
    "settle",
]


@dataclass(frozen=True)
class Deadlines:
    ack_due: datetime
    resolve_due: datetime
    calendar: str  # "24x7" | "workdays"
    provisional: bool


@dataclass(frozen=True)
class Outcome:
    due: datetime
    met: bool
    wall_s: float  # from the cycle start (after a reopen: the reopen) to the action
    working_s: float  # the same in working time of the cycle's calendar (minus pauses, for resolve)


@dataclass(frozen=True)
class ArmRequest:
    complaint_id: UUID
    assignment_id: UUID
    unit_id: str
    category: str
    priority: str
    cycle: int
    start: datetime
    escalation_units: list[str]


async def arm_cycle(
    uow: UnitOfWork,
    *,
    complaint_id: UUID,
    assignment_id: UUID,
    unit_id: str,
    category: str,
    priority: str,
    cycle: int,
    start: datetime,
    escalation_units: list[str],
) -> Deadlines:
    """Snapshot the policy, compute both deadlines, write the cycle and the first timer of
    each (its warning). Arming an armed cycle again returns its deadlines unchanged."""
    request = ArmRequest(
        complaint_id, assignment_id, unit_id, category, priority, cycle, start, escalation_units
    )
    return (await arm_cycles(uow, [request]))[0]


async def arm_cycles(uow: UnitOfWork, requests: Sequence[ArmRequest]) -> list[Deadlines]:
    """`arm_cycle` for a batch (the consumer routes hundreds at once): policies and calendars
    are looked up once per batch, cycles and timers written with one statement each, and
    deadlines planned once per (policy, start, escalation levels): a consumer batch starts
    all its cycles at the same instant, so its complaints of one policy share one plan."""
    session, settings = uow.session, config.active()
    terms_by_key: dict[tuple[str, str], Terms] = {}
    policy_json: dict[tuple[str, str], dict[str, Any]] = {}
    calendars: dict[tuple[str, str, str], Calendar] = {}
    plans_by_key: dict[tuple[Any, ...], dict[Deadline, DeadlinePlan]] = {}
    cycles: list[NewCycle] = []
    timers: dict[tuple[UUID, int], tuple[TimerPlan, ...]] = {}
    policies = await store.find_policies(session, {(r.category, r.priority) for r in requests})
    for r in requests:
        key = (r.category, r.priority)
        if key not in terms_by_key:
            matched, policy = policies[key]
            terms_by_key[key] = apply_terms(
                policy,
                matched=matched,
                scale=settings.scale,
                force_24x7=settings.force_24x7,
                working_hours=settings.working_hours,
                timezone=settings.timezone,
            )
            policy_json[key] = terms_by_key[key].model_dump(mode="json")
        terms = terms_by_key[key]
        cal_key = (terms.calendar, terms.working_hours, terms.timezone)
        if cal_key not in calendars:
            calendars[cal_key] = await calendar_for(session, terms)
        cycle = NewCycle(
            assignment_id=r.assignment_id,
            cycle=r.cycle,
            complaint_id=r.complaint_id,
            unit_id=r.unit_id,
            category=r.category,
            priority=r.priority,
            policy=policy_json[key],
            calendar=terms.calendar,
            started_at=r.start,
            escalation_units=list(r.escalation_units),
        )
        plan_key = (key, r.start, len(r.escalation_units))
        if plan_key not in plans_by_key:
            plans_by_key[plan_key] = plan_both(cycle, terms, calendars[cal_key])
        plans = plans_by_key[plan_key]
        cycle.ack_due, cycle.resolve_due = plans["ack"].due, plans["resolve"].due
        cycle.provisional = plans["ack"].provisional or plans["resolve"].provisional
        cycles.append(cycle)
        timers[(cycle.assignment_id, cycle.cycle)] = tuple(
            step for step in (next_step(plans["ack"]), next_step(plans["resolve"])) if step is not None
        )
    inserted = await store.insert_cycles(session, [c.columns() for c in cycles])
    await store.insert_timers_for(
        session,
        [(c, timers[(c.assignment_id, c.cycle)]) for c in cycles if (c.assignment_id, c.cycle) in inserted],
    )
    result = []
    for c in cycles:
        if (
            c.assignment_id,
            c.cycle,
        ) not in inserted:  # armed before (a replayed arm is a no-op): its deadlines stand
            row = await locked(session, c.assignment_id, c.cycle)
            result.append(Deadlines(row.ack_due, row.resolve_due, row.calendar, row.provisional))
            continue
        terms = terms_by_key[(c.category, c.priority)]
        warn_if_provisional(c, calendars[(terms.calendar, terms.working_hours, terms.timezone)])
        assert c.ack_due is not None and c.resolve_due is not None
        result.append(Deadlines(c.ack_due, c.resolve_due, c.calendar, c.provisional))
    return result


async def settle(
    uow: UnitOfWork, *, assignment_id: UUID, cycle: int, kind: Literal["ack", "resolve"], at: datetime
) -> Outcome:
    """Mark the deadline met or late and cancel its pending timers. Idempotent: settling
    again returns the first outcome."""
    session = uow.session
    row = await locked(session, assignment_id, cycle)
    terms = terms_of(row)
    calendar = await calendar_for(session, terms)
    if getattr(row, f"{kind}_done_at") is None:
        if kind == "resolve" and row.paused_at is not None:
            await _end_pause(uow, row, terms, calendar, at)  # resolved while awaiting the citizen
        setattr(row, f"{kind}_done_at", at)
        await store.cancel_timers(session, assignment_id, cycle, deadline=kind)
    done: datetime = getattr(row, f"{kind}_done_at")
    due: datetime = getattr(row, f"{kind}_due")
    paused = row.paused_working_s if kind == "resolve" else 0.0
    return Outcome(
        due=due,
        met=done <= due,
        wall_s=(done - row.started_at).total_seconds(),
        working_s=max(calendar.working_between(row.started_at, done) - paused, 0.0),
    )


async def cancel_cycle(uow: UnitOfWork, *, assignment_id: UUID, cycle: int, at: datetime) -> bool | None:
    """Return, transfer, withdraw, close: no more timers for this cycle. Whether the ack
    deadline was met by this action (None: it was settled before)."""
    row = await locked(uow.session, assignment_id, cycle)
    if row.cancelled_at is None:
        row.cancelled_at = at
        await store.cancel_timers(uow.session, assignment_id, cycle)
    if row.ack_done_at is not None:
        return None
    return row.cancelled_at <= row.ack_due


async def pause(uow: UnitOfWork, *, assignment_id: UUID, cycle: int, at: datetime) -> None:
    """Awaiting the citizen: the resolve clock stops. A pause that starts after the resolve
    deadline has passed changes nothing (the deadline was missed already)."""
    row = await locked(uow.session, assignment_id, cycle)
    if row.paused_at is not None or row.resolve_done_at is not None or row.cancelled_at is not None:
        return
    row.paused_at = at
    if at < row.resolve_due:
        await store.cancel_timers(uow.session, assignment_id, cycle, deadline="resolve")


async def resume(uow: UnitOfWork, *, assignment_id: UUID, cycle: int, at: datetime) -> tuple[datetime, float]:
    """The citizen answered: -> (new resolve deadline, wall seconds of this pause)."""
    row = await locked(uow.session, assignment_id, cycle)
    if row.paused_at is None:
        return row.resolve_due, 0.0
    terms = terms_of(row)
    paused_s = await _end_pause(uow, row, terms, await calendar_for(uow.session, terms), at)
    return row.resolve_due, paused_s


async def _end_pause(
    uow: UnitOfWork, row: SlaCycleRow, terms: Terms, calendar: Calendar, at: datetime
) -> float:
    assert row.paused_at is not None
    paused_s = max((at - row.paused_at).total_seconds(), 0.0)
    if row.paused_at < row.resolve_due and row.cancelled_at is None and row.resolve_done_at is None:
        # The pause's working time moves the deadline: due = start + window + all pauses.
        row.paused_working_s += calendar.working_between(row.paused_at, at)
        await replan(uow.session, row, terms, calendar, ("resolve",))
        warn_if_provisional(row, calendar)
    row.paused_total_s += paused_s
    row.paused_at = None
    return paused_s
