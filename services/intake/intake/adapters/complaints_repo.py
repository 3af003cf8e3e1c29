"""Reading a complaint with its status view, and the citizen's own changes to the view."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake.adapters.tables import Complaint, ComplaintStatus

Row = tuple[Complaint, ComplaintStatus]


def joined() -> Select[Complaint, ComplaintStatus]:
    return select(Complaint, ComplaintStatus).join(
        ComplaintStatus, col(ComplaintStatus.complaint_id) == col(Complaint.id)
    )


async def by_tracking_code(session: AsyncSession, code: str, *, for_update: bool = False) -> Row | None:
    stmt = joined().where(col(Complaint.tracking_code) == code)
    if for_update:
        stmt = stmt.with_for_update(of=ComplaintStatus)
    found = (await session.execute(stmt)).first()
    return (found[0], found[1]) if found else None


async def by_id(session: AsyncSession, complaint_id: UUID) -> Row | None:
    found = (await session.execute(joined().where(col(Complaint.id) == complaint_id))).first()
    return (found[0], found[1]) if found else None


async def set_state(
    session: AsyncSession, complaint_id: UUID, *, state: str, at: datetime, **fields: Any
) -> None:
    await session.execute(
        update(ComplaintStatus)
        .where(col(ComplaintStatus.complaint_id) == complaint_id)
        .values(state=state, updated_at=at, **fields)
    )


def keep_loaded(session: AsyncSession) -> None:
    """A read-only unit of work ends in a rollback, which expires what it loaded; detach the
    objects first so the caller can still read them."""
    session.expunge_all()
