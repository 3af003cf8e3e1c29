"""Assignments (one per routing to a unit) and the history of every action and event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from huiyin.sqlsets import column_params, unnest_insert
from routing.adapters.tables import ASSIGNMENTS, AssignmentRow, HistoryRow

ASSIGNMENT_COLUMNS = [
    ("id", "uuid"),
    ("complaint_id", "uuid"),
    ("unit_id", "text"),
    ("reason", "text"),
    ("rule", "text"),
    ("explanation", "text"),
    ("candidates", "jsonb"),
    ("routed_at", "timestamptz"),
    ("routed_by", "text"),
]
HISTORY_COLUMNS = [
    ("complaint_id", "uuid"),
    ("assignment_id", "uuid"),
    ("at", "timestamptz"),
    ("action", "text"),
    ("actor", "text"),
    ("detail", "jsonb"),
]
# One statement per batch whatever its size (see huiyin.sqlsets).
INSERT_ASSIGNMENTS = text(unnest_insert("routing_assignments", ASSIGNMENT_COLUMNS))
INSERT_HISTORY = text(unnest_insert("routing_history", HISTORY_COLUMNS))


async def add_assignments(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(INSERT_ASSIGNMENTS, column_params(ASSIGNMENT_COLUMNS, rows))


async def end_assignments(session: AsyncSession, ends: Sequence[dict[str, Any]]) -> None:
    """[{id, ended_at, end_reason}] for assignments still open."""
    if not ends:
        return
    table = ASSIGNMENTS
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.ended_at.is_(None))
        .values(ended_at=bindparam("b_at"), end_reason=bindparam("b_reason"))
    )
    await session.execute(
        stmt, [{"b_id": e["id"], "b_at": e["ended_at"], "b_reason": e["end_reason"]} for e in ends]
    )


async def assignments_of(session: AsyncSession, complaint_id: UUID) -> list[AssignmentRow]:
    stmt = (
        select(AssignmentRow)
        .where(col(AssignmentRow.complaint_id) == complaint_id)
        .order_by(col(AssignmentRow.routed_at))
    )
    return list((await session.execute(stmt)).scalars())


async def units_that_returned(session: AsyncSession, complaint_id: UUID) -> set[str]:
    stmt = select(col(AssignmentRow.unit_id)).where(
        col(AssignmentRow.complaint_id) == complaint_id, col(AssignmentRow.end_reason) == "returned"
    )
    return set((await session.execute(stmt)).scalars())


def history_row(
    complaint_id: UUID,
    action: str,
    at: datetime,
    *,
    assignment_id: UUID | None = None,
    actor: str | None = None,
    **detail: Any,
) -> dict[str, Any]:
    return {
        "complaint_id": complaint_id,
        "assignment_id": assignment_id,
        "at": at,
        "action": action,
        "actor": actor,
        "detail": {k: v for k, v in detail.items() if v is not None},
    }


async def add_history(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(INSERT_HISTORY, column_params(HISTORY_COLUMNS, rows))


async def history_of(session: AsyncSession, complaint_id: UUID) -> list[HistoryRow]:
    stmt = select(HistoryRow).where(col(HistoryRow.complaint_id) == complaint_id).order_by(col(HistoryRow.id))
    return list((await session.execute(stmt)).scalars())
