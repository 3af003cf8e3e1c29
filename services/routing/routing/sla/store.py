"""Repository functions over the SLA tables. They never commit: the caller's unit of work does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from huiyin.sqlsets import column_params, unnest_insert
from routing.sla.plan import TimerPlan
from routing.sla.policy import WILDCARD, Policy, fallback_policy
from routing.sla.schedules import YearSchedule
from routing.sla.tables import (
    SlaCalendarYearRow,
    SlaCycleRow,
    SlaPolicyRow,
    SlaTimerRow,
    cols,
)

T, P = cols(SlaTimerRow), cols(SlaPolicyRow)

# Cycles and timers are written per consumer batch: one `unnest` statement each, whatever the
# batch size (prepared once, no per-row SQL compilation).
CYCLE_COLUMNS = [
    ("assignment_id", "uuid"),
    ("cycle", "int4"),
    ("complaint_id", "uuid"),
    ("unit_id", "text"),
    ("category", "text"),
    ("priority", "text"),
    ("policy", "jsonb"),
    ("calendar", "text"),
    ("started_at", "timestamptz"),
    ("ack_due", "timestamptz"),
    ("resolve_due", "timestamptz"),
    ("ack_done_at", "timestamptz"),
    ("resolve_done_at", "timestamptz"),
    ("paused_at", "timestamptz"),
    ("paused_total_s", "float8"),
    ("paused_working_s", "float8"),
    ("provisional", "bool"),
    ("cancelled_at", "timestamptz"),
    ("escalation_units", "jsonb"),
]
INSERT_CYCLES = text(
    unnest_insert("sla_cycles", CYCLE_COLUMNS, suffix="ON CONFLICT DO NOTHING RETURNING assignment_id, cycle")
)
TIMER_COLUMNS = [
    ("assignment_id", "uuid"),
    ("cycle", "int4"),
    ("complaint_id", "uuid"),
    ("unit_id", "text"),
    ("kind", "text"),
    ("due_at", "timestamptz"),
    ("state", "text"),
]
INSERT_TIMERS = text(unnest_insert("sla_timers", TIMER_COLUMNS))
ESCALATION_COLUMNS = [
    ("complaint_id", "uuid"),
    ("assignment_id", "uuid"),
    ("cycle", "int4"),
    ("kind", "text"),
    ("level", "int4"),
    ("watcher_unit_id", "text"),
    ("at", "timestamptz"),
    ("forced_by", "text"),
    ("reason", "text"),
]
INSERT_ESCALATIONS = text(
    unnest_insert(
        "sla_escalations",
        ESCALATION_COLUMNS,
        suffix="ON CONFLICT ON CONSTRAINT uq_sla_escalations_level DO NOTHING"
        " RETURNING assignment_id, cycle, kind, level",
    )
)


async def loaded_years(session: AsyncSession) -> dict[int, YearSchedule]:
    rows = (await session.execute(select(SlaCalendarYearRow))).scalars()
    return {
        r.year: YearSchedule(
            year=r.year,
            holidays=frozenset(map(date.fromisoformat, r.holidays)),
            workdays=frozenset(map(date.fromisoformat, r.workdays)),
        )
        for r in rows
    }


def policy_of(row: SlaPolicyRow) -> Policy:
    return Policy(
        ack_within_s=row.ack_within_s,
        resolve_within_s=row.resolve_within_s,
        warn_at=row.warn_at,
        calendar=row.calendar,
        escalate_after=tuple(row.escalate_after),
    )


async def find_policies(
    session: AsyncSession, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, Policy]]:
    """For each (category, priority): the category's own policy, else the priority's default
    row, else the built-in one, with the name of what matched. One query for a whole batch."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = (
        await session.execute(
            select(SlaPolicyRow).where(
                P.priority.in_({p for _, p in wanted}),
                P.category.in_({c for c, _ in wanted} | {WILDCARD}),
            )
        )
    ).scalars()
    by_key = {(row.category, row.priority): row for row in rows}
    found: dict[tuple[str, str], tuple[str, Policy]] = {}
    for category, priority in wanted:
        row = by_key.get((category, priority)) or by_key.get((WILDCARD, priority))
        found[(category, priority)] = (
            fallback_policy(priority) if row is None else (f"{row.category}/{row.priority}", policy_of(row))
        )
    return found


async def lock_cycle(session: AsyncSession, assignment_id: UUID, cycle: int) -> SlaCycleRow | None:
    return await session.get(
        SlaCycleRow, (assignment_id, cycle), with_for_update=True, populate_existing=True
    )


async def insert_cycles(session: AsyncSession, rows: list[dict[str, Any]]) -> set[tuple[UUID, int]]:
    """Insert many cycles (their columns) at once; returns the keys actually inserted (others
    were armed already)."""
    if not rows:
        return set()
    params = column_params(CYCLE_COLUMNS, rows)
    return {(a, c) for a, c in (await session.execute(INSERT_CYCLES, params)).all()}


async def insert_timers_for(
    session: AsyncSession, cycles: Sequence[tuple[CycleKeys, Sequence[TimerPlan]]]
) -> None:
    rows = [_timer_row(cycle, p) for cycle, plans in cycles for p in plans]
    if rows:
        await session.execute(INSERT_TIMERS, column_params(TIMER_COLUMNS, rows))


class CycleKeys(Protocol):
    """What a timer row takes from its cycle (an ORM row, or a cycle about to be inserted)."""

    assignment_id: UUID
    cycle: int
    complaint_id: UUID
    unit_id: str


def _timer_row(cycle: CycleKeys, p: TimerPlan) -> dict[str, object]:
    return {
        "assignment_id": cycle.assignment_id,
        "cycle": cycle.cycle,
        "complaint_id": cycle.complaint_id,
        "unit_id": cycle.unit_id,
        "kind": p.kind,
        "due_at": p.due_at,
        "state": "pending",
    }


async def insert_timers(session: AsyncSession, cycle: SlaCycleRow, plans: Iterable[TimerPlan]) -> None:
    await insert_timers_for(session, [(cycle, list(plans))])


async def cancel_timers(
    session: AsyncSession, assignment_id: UUID, cycle: int, *, deadline: str | None = None
) -> int:
    stmt = update(SlaTimerRow).where(T.assignment_id == assignment_id, T.cycle == cycle, T.state == "pending")
    if deadline is not None:
        stmt = stmt.where(T.kind.startswith(f"{deadline}_"))
    result = await session.execute(stmt.values(state="cancelled"))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def fired_kinds(session: AsyncSession, assignment_id: UUID, cycle: int) -> set[str]:
    rows = await session.execute(
        select(T.kind).where(T.assignment_id == assignment_id, T.cycle == cycle, T.state == "fired")
    )
    return set(rows.scalars())


async def insert_escalations(
    session: AsyncSession, rows: list[dict[str, Any]]
) -> set[tuple[UUID, int, str, int]]:
    """Escalation levels with one statement; returns the (assignment, cycle, kind, level)
    keys actually inserted: the others were escalated already (the unique key)."""
    if not rows:
        return set()
    inserted = await session.execute(INSERT_ESCALATIONS, column_params(ESCALATION_COLUMNS, rows))
    return {(a, c, k, lv) for a, c, k, lv in inserted.all()}
