"""SQL for the feedback workflow's own tables (citizen access, feedback requests).

Functions take the caller's session and never commit: the handler owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from feedback.adapters.tables import CitizenAccess, FeedbackRequest

RECORD_ACCESS = """
INSERT INTO fb_citizen_access (complaint_id, tracking_code, token_sha256, submitted_at)
SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:codes AS text[]), CAST(:hashes AS text[]),
                     CAST(:ats AS timestamptz[]))
ON CONFLICT DO NOTHING
"""

OPEN_REQUESTS = """
INSERT INTO fb_request (assignment_id, cycle, complaint_id, unit_id, requested_at, closes_at, status)
SELECT a, c, k, u, r, x, 'open'
  FROM unnest(CAST(:assignments AS uuid[]), CAST(:cycles AS int[]), CAST(:complaints AS uuid[]),
              CAST(:units AS text[]), CAST(:requested AS timestamptz[]), CAST(:closes AS timestamptz[]))
       AS t(a, c, k, u, r, x)
ON CONFLICT DO NOTHING
RETURNING assignment_id, cycle
"""


async def record_access(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    await session.execute(
        text(RECORD_ACCESS),
        {
            "ids": [r["complaint_id"] for r in rows],
            "codes": [r["tracking_code"] for r in rows],
            "hashes": [r["token_sha256"] for r in rows],
            "ats": [r["submitted_at"] for r in rows],
        },
    )


async def open_requests(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> set[tuple[UUID, int]]:
    """Insert the requests that do not exist yet; returns the keys actually created."""
    result = await session.execute(
        text(OPEN_REQUESTS),
        {
            "assignments": [r["assignment_id"] for r in rows],
            "cycles": [r["cycle"] for r in rows],
            "complaints": [r["complaint_id"] for r in rows],
            "units": [r["unit_id"] for r in rows],
            "requested": [r["requested_at"] for r in rows],
            "closes": [r["closes_at"] for r in rows],
        },
    )
    return {(row[0], row[1]) for row in result}


async def access_by_code(session: AsyncSession, tracking_code: str) -> CitizenAccess | None:
    result = await session.execute(
        select(CitizenAccess).where(col(CitizenAccess.tracking_code) == tracking_code)
    )
    return result.scalar_one_or_none()


async def latest_request(
    session: AsyncSession, complaint_id: UUID, *, for_update: bool = False
) -> FeedbackRequest | None:
    query = (
        select(FeedbackRequest)
        .where(col(FeedbackRequest.complaint_id) == complaint_id)
        .order_by(col(FeedbackRequest.requested_at).desc(), col(FeedbackRequest.cycle).desc())
        .limit(1)
    )
    if for_update:
        query = query.with_for_update()
    result = await session.execute(query)
    return result.scalar_one_or_none()


async def earlier_reopens(session: AsyncSession, complaint_id: UUID) -> int:
    result = await session.execute(
        select(func.count())
        .select_from(FeedbackRequest)
        .where(
            col(FeedbackRequest.complaint_id) == complaint_id, col(FeedbackRequest.reopen_requested).is_(True)
        )
    )
    return int(result.scalar_one())


async def claim_expired(session: AsyncSession, now: datetime, limit: int) -> list[FeedbackRequest]:
    """Open requests past their window, locked; rows another replica holds are skipped."""
    result = await session.execute(
        select(FeedbackRequest)
        .where(col(FeedbackRequest.status) == "open", col(FeedbackRequest.closes_at) <= now)
        .order_by(col(FeedbackRequest.closes_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(result.scalars())
