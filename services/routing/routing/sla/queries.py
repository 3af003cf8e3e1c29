"""Read-only queries behind the SLA API (no transaction to commit)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from routing.sla.policy import DEFAULT_POLICIES
from routing.sla.tables import SlaCalendarYearRow, SlaCycleRow, SlaEscalationRow, SlaPolicyRow, cols

E, C, P, Y = cols(SlaEscalationRow), cols(SlaCycleRow), cols(SlaPolicyRow), cols(SlaCalendarYearRow)


async def policies(session: AsyncSession) -> list[dict[str, Any]]:
    """Every policy row, plus the built-in default of a priority that has no `*` row."""
    rows = (await session.execute(select(SlaPolicyRow).order_by(P.priority, P.category))).scalars()
    out = [r.model_dump(mode="json") for r in rows]
    present = {(p["category"], p["priority"]) for p in out}
    for (category, priority), policy in DEFAULT_POLICIES.items():
        if (category, priority) not in present:
            out.append(
                {
                    "category": category,
                    "priority": priority,
                    **policy.model_dump(mode="json"),
                    "updated_at": None,
                    "updated_by": "built-in",
                }
            )
    return out


async def calendar_year(session: AsyncSession, year: int) -> SlaCalendarYearRow | None:
    return await session.get(SlaCalendarYearRow, year)


async def calendar_years(session: AsyncSession) -> list[SlaCalendarYearRow]:
    return list((await session.execute(select(SlaCalendarYearRow).order_by(Y.year))).scalars())


def _escalations() -> Any:
    return select(SlaEscalationRow, C.unit_id, C.ack_due, C.resolve_due).join(
        SlaCycleRow,
        and_(C.assignment_id == E.assignment_id, C.cycle == E.cycle),
    )


def _escalation_out(row: Any) -> dict[str, Any]:
    esc, unit_id, ack_due, resolve_due = row
    return {
        **esc.model_dump(exclude={"id"}),
        "unit_id": unit_id,
        "due": ack_due if esc.kind == "ack" else resolve_due,
    }


async def unit_escalations(
    session: AsyncSession, unit_id: str, *, before: datetime | None, limit: int
) -> list[dict[str, Any]]:
    """Escalations addressed to `unit_id` (it was added as a watcher), newest first."""
    stmt = _escalations().where(E.watcher_unit_id == unit_id)
    if before is not None:
        stmt = stmt.where(E.at < before)
    rows = await session.execute(stmt.order_by(E.at.desc(), E.id.desc()).limit(limit))
    return [_escalation_out(r) for r in rows]


async def complaint_sla(
    session: AsyncSession, complaint_id: UUID
) -> tuple[list[SlaCycleRow], list[dict[str, Any]]]:
    cycles = await session.execute(
        select(SlaCycleRow).where(C.complaint_id == complaint_id).order_by(C.started_at)
    )
    escalations = await session.execute(
        _escalations().where(E.complaint_id == complaint_id).order_by(E.at, E.id)
    )
    return list(cycles.scalars()), [_escalation_out(r) for r in escalations]
