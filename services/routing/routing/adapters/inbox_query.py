"""A unit's inbox: its open complaints plus those escalated to it, with the current cycle's
deadlines (read from the SLA engine's `sla_cycles`) and the time left on the next one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Table, and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.adapters.tables import CASES, CaseRow
from routing.sla.tables import SlaCycleRow, SlaEscalationRow

CYCLES: Table = SlaCycleRow.__table__  # type: ignore[attr-defined]
ESCALATIONS: Table = SlaEscalationRow.__table__  # type: ignore[attr-defined]

Sort = Literal["deadline", "-deadline", "submitted", "-submitted"]
C = CASES.c
S = CYCLES.c
E = ESCALATIONS.c


@dataclass(frozen=True)
class InboxFilter:
    unit_id: str
    now: datetime
    states: tuple[str, ...]
    category: str | None = None
    overdue: bool | None = None
    due_within_h: float | None = None
    sort: Sort = "deadline"
    limit: int = 50
    offset: int = 0


async def inbox(session: AsyncSession, f: InboxFilter) -> tuple[int, list[dict[str, Any]]]:
    watch = (
        select(E.complaint_id, E.assignment_id, func.max(E.level).label("level"))
        .where(E.watcher_unit_id == f.unit_id)
        .group_by(E.complaint_id, E.assignment_id)
        .subquery()
    )
    open_cycle = S.cancelled_at.is_(None)
    next_kind = case(
        (and_(open_cycle, S.ack_done_at.is_(None)), literal("ack")),
        (and_(open_cycle, S.resolve_done_at.is_(None), S.paused_at.is_(None)), literal("resolve")),
    )
    next_due = case((next_kind == "ack", S.ack_due), (next_kind == "resolve", S.resolve_due))
    joined = CASES.outerjoin(CYCLES, and_(S.assignment_id == C.assignment_id, S.cycle == C.cycle)).outerjoin(
        watch, and_(watch.c.complaint_id == C.complaint_id, watch.c.assignment_id == C.assignment_id)
    )
    where = [or_(C.unit_id == f.unit_id, watch.c.level.is_not(None)), C.state.in_(f.states)]
    if f.category:
        where.append(C.category == f.category)
    if f.overdue is not None:
        where.append(next_due < f.now if f.overdue else or_(next_due.is_(None), next_due >= f.now))
    if f.due_within_h is not None:
        where.append(next_due.between(f.now, f.now + timedelta(hours=f.due_within_h)))
    total = (await session.execute(select(func.count()).select_from(joined).where(*where))).scalar_one()
    order = {
        "deadline": [next_due.asc().nulls_last(), C.submitted_at.asc()],
        "-deadline": [next_due.desc().nulls_last(), C.submitted_at.desc()],
        "submitted": [C.submitted_at.asc()],
        "-submitted": [C.submitted_at.desc()],
    }[f.sort]
    stmt = (
        select(
            C.complaint_id,
            C.tracking_code,
            C.category,
            C.priority,
            C.state,
            C.unit_id,
            C.cycle,
            C.officer_id,
            C.version,
            C.submitted_at,
            C.description,
            S.started_at,
            S.ack_due,
            S.resolve_due,
            S.ack_done_at,
            S.resolve_done_at,
            S.paused_at,
            S.provisional,
            next_kind.label("next_deadline"),
            next_due.label("next_due"),
            watch.c.level.label("escalation_level"),
        )
        .select_from(joined)
        .where(*where)
        .order_by(*order, C.complaint_id)
        .limit(f.limit)
        .offset(f.offset)
    )
    rows = [dict(r._mapping) for r in await session.execute(stmt)]
    for row in rows:
        due = row["next_due"]
        row["time_left_s"] = (due - f.now).total_seconds() if due is not None else None
        row["overdue"] = due is not None and due < f.now
        row["escalated_to_you"] = row["unit_id"] != f.unit_id
    return int(total), rows


async def triage(session: AsyncSession, *, limit: int, offset: int) -> tuple[int, list[CaseRow]]:
    where = [col(CaseRow.state) == "unroutable"]
    total = (await session.execute(select(func.count()).select_from(CaseRow).where(*where))).scalar_one()
    stmt = (
        select(CaseRow)
        .where(*where)
        .order_by(col(CaseRow.submitted_at), col(CaseRow.complaint_id))
        .limit(limit)
        .offset(offset)
    )
    return int(total), list((await session.execute(stmt)).scalars())
