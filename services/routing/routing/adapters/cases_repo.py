"""Complaint cases: insert once, read, and change under optimistic concurrency."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from huiyin.sqlsets import column_params, unnest_insert
from routing.adapters.tables import CaseRow

CASE_COLUMNS = [
    ("complaint_id", "uuid"),
    ("tracking_code", "text"),
    ("category", "text"),
    ("priority", "text"),
    ("description", "text"),
    ("location", "jsonb"),
    ("subject", "jsonb"),
    ("channel", "text"),
    ("submitted_at", "timestamptz"),
    ("state", "text"),
    ("unit_id", "text"),
    ("assignment_id", "uuid"),
    ("cycle", "int4"),
    ("officer_id", "text"),
    ("answer", "text"),
    ("version", "int4"),
    ("updated_at", "timestamptz"),
]
# One statement for a whole consumer batch (see huiyin.sqlsets).
INSERT_CASES = text(
    unnest_insert(
        "routing_cases", CASE_COLUMNS, suffix="ON CONFLICT (complaint_id) DO NOTHING RETURNING complaint_id"
    )
)


async def insert_new(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> set[UUID]:
    """Insert the cases not seen before; returns the ids actually inserted (a complaint
    submitted twice under two event ids is routed once)."""
    if not rows:
        return set()
    result = await session.execute(INSERT_CASES, column_params(CASE_COLUMNS, rows))
    return set(result.scalars())


async def get(session: AsyncSession, complaint_id: UUID) -> CaseRow | None:
    stmt = (
        select(CaseRow)
        .where(col(CaseRow.complaint_id) == complaint_id)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_many(session: AsyncSession, complaint_ids: Iterable[UUID]) -> dict[UUID, CaseRow]:
    """The cases of a consumer batch, locked (in id order, so two consumers never deadlock):
    a staff action racing with them waits, then finds the version moved and gets 409."""
    ids = sorted(set(complaint_ids))
    if not ids:
        return {}
    stmt = (
        select(CaseRow)
        .where(col(CaseRow.complaint_id).in_(ids))
        .order_by(col(CaseRow.complaint_id))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.complaint_id: row for row in (await session.execute(stmt)).scalars()}


async def compare_and_set(
    session: AsyncSession, complaint_id: UUID, version: int, values: dict[str, Any]
) -> bool:
    """Apply `values` only if nobody changed the case since `version` was read."""
    result = await session.execute(
        update(CaseRow)
        .where(col(CaseRow.complaint_id) == complaint_id, col(CaseRow.version) == version)
        .values(**values, version=col(CaseRow.version) + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]
