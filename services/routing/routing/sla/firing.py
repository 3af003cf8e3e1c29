"""Firing due timers: claim a batch, change their state and emit their events in ONE
transaction (the caller's unit of work), so a crash before commit fires them again and a
commit fires them exactly once.

The claim locks the timers and their cycle rows with SKIP LOCKED: another replica skips
every timer of a cycle being fired here, so one cycle's warn, breach and escalations are
emitted by one transaction at a time, in due order. A deadline has one timer pending at a
time: firing a step arms the next one in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update

from huiyin.db import UnitOfWork
from huiyin.events.sla import ComplaintEscalated, SlaBreached, SlaWarning
from routing.sla import store
from routing.sla.calendar import Calendar
from routing.sla.cycles import calendar_for, plan_one, terms_of
from routing.sla.plan import TimerKind, TimerPlan, levels_with_breach, step_after
from routing.sla.tables import SlaCycleRow, SlaTimerRow, cols

T = SlaTimerRow.__table__  # type: ignore[attr-defined]
C = cols(SlaCycleRow)


def _claim(now: datetime, limit: int) -> Any:
    return (
        select(T.c.id, T.c.kind, SlaCycleRow)
        .join(
            SlaCycleRow,
            and_(C.assignment_id == T.c.assignment_id, C.cycle == T.c.cycle),
        )
        .where(T.c.state == "pending", T.c.due_at <= now)
        .order_by(T.c.due_at, T.c.id)
        .limit(limit)
        .with_for_update(of=[T, SlaCycleRow.__table__], skip_locked=True)  # type: ignore[attr-defined]
    )


async def fire_due(uow: UnitOfWork, *, now: datetime, limit: int) -> int:
    """Fire up to `limit` due timers and arm the step after each; returns how many were
    claimed. Does not commit."""
    rows = (await uow.session.execute(_claim(now, limit))).all()
    fired, void, following = [], [], []
    levels: list[Level] = []
    calendars: dict[tuple[str, str, str], Calendar] = {}
    for timer_id, kind, cycle in rows:
        step = TimerKind.parse(kind)
        if cycle.cancelled_at is not None or getattr(cycle, f"{step.deadline}_done_at") is not None:
            void.append(timer_id)  # a safety net: settling cancels its timers under the same lock
            continue
        fired.append(timer_id)
        levels += _fire(uow, cycle, step, now)
        nxt = await _step_after(uow, cycle, step, kind, calendars)
        if nxt is not None:
            following.append((cycle, [nxt]))
    await escalate_all(uow, levels)
    if fired:
        await uow.session.execute(update(T).where(T.c.id.in_(fired)).values(state="fired", fired_at=now))
    if void:
        await uow.session.execute(update(T).where(T.c.id.in_(void)).values(state="cancelled"))
    await store.insert_timers_for(uow.session, following)
    return len(rows)


async def _step_after(
    uow: UnitOfWork,
    cycle: SlaCycleRow,
    step: TimerKind,
    kind: str,
    calendars: dict[tuple[str, str, str], Calendar],
) -> TimerPlan | None:
    """The deadline's next step, planned from the cycle as it is now (one calendar per
    distinct terms in a batch)."""
    terms = terms_of(cycle)
    key = (terms.calendar, terms.working_hours, terms.timezone)
    if key not in calendars:
        calendars[key] = await calendar_for(uow.session, terms)
    return step_after(plan_one(cycle, terms, calendars[key], step.deadline), kind)


async def next_due(uow: UnitOfWork) -> datetime | None:
    return (await uow.session.execute(select(func.min(T.c.due_at)).where(T.c.state == "pending"))).scalar()


# An escalation level a firing reached: (cycle, the event's facts, level).
Level = tuple[SlaCycleRow, dict[str, Any], int]


def _fire(uow: UnitOfWork, cycle: SlaCycleRow, step: TimerKind, now: datetime) -> list[Level]:
    """Emit a warning or a breach; returns the escalation levels it reaches (recorded and
    emitted for the whole batch at once, after it: a cycle's level still follows its breach)."""
    due = cycle.ack_due if step.deadline == "ack" else cycle.resolve_due
    facts: dict[str, Any] = {
        "complaint_id": cycle.complaint_id,
        "assignment_id": cycle.assignment_id,
        "unit_id": cycle.unit_id,
        "cycle": cycle.cycle,
        "kind": step.deadline,
        "due": due,
        "at": now,
    }
    if step.step == "warn":
        uow.emit(SlaWarning(**facts), time=now)
        return []
    if step.step == "breach":
        uow.emit(SlaBreached(**facts), time=now)
        return [
            (cycle, facts, level)
            for level in levels_with_breach(terms_of(cycle), len(cycle.escalation_units))
        ]
    assert step.level is not None
    return [(cycle, facts, step.level)]


async def escalate_all(
    uow: UnitOfWork, levels: list[Level], *, forced_by: str | None = None, reason: str | None = None
) -> list[ComplaintEscalated]:
    """Record each level with one insert for them all and emit the ones recorded now, in the
    order given: a level escalated before (by a force, a replay, a raced firing) is skipped,
    and so is a level the cycle has no unit for."""
    reachable = [(c, f, lv) for c, f, lv in levels if 1 <= lv <= len(c.escalation_units)]
    rows = [
        {
            "complaint_id": c.complaint_id, "assignment_id": c.assignment_id, "cycle": c.cycle,
            "kind": f["kind"], "level": lv, "watcher_unit_id": c.escalation_units[lv - 1], "at": f["at"],
            "forced_by": forced_by, "reason": reason,
        }
        for c, f, lv in reachable
    ]  # fmt: skip
    inserted = await store.insert_escalations(uow.session, rows)
    emitted = []
    for (cycle, facts, level), row in zip(reachable, rows, strict=True):
        if (cycle.assignment_id, cycle.cycle, facts["kind"], level) in inserted:
            event = ComplaintEscalated(
                **facts,
                level=level,
                watcher_unit_id=row["watcher_unit_id"],
                forced_by=forced_by,
                reason=reason,
            )
            uow.emit(event, time=facts["at"])
            emitted.append(event)
    return emitted
