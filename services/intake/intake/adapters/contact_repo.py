"""The contact access log: who read a citizen's contact in clear, when and why."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from huiyin.auth.tokens import Principal
from intake.adapters.tables import ContactAccess


async def log_access(
    session: AsyncSession, complaint_id: UUID, who: Principal, *, reason: str, at: datetime
) -> None:
    session.add(
        ContactAccess(
            complaint_id=complaint_id,
            user_id=who.user_id,
            username=who.username,
            role=who.role.value,
            unit_id=who.unit_id,
            reason=reason,
            at=at,
        )
    )
    await session.flush()


async def accesses(session: AsyncSession, complaint_id: UUID) -> list[ContactAccess]:
    result = await session.scalars(
        select(ContactAccess)
        .where(col(ContactAccess.complaint_id) == complaint_id)
        .order_by(col(ContactAccess.at))
    )
    return list(result)
