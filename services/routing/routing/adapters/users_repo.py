"""Staff users: look-ups for sign-in, officer assignment and conflict-of-interest routing."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.adapters.tables import StaffUserRow


async def by_username(session: AsyncSession, username: str) -> StaffUserRow | None:
    stmt = select(StaffUserRow).where(col(StaffUserRow.username) == username.strip().lower())
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_id(session: AsyncSession, user_id: str) -> StaffUserRow | None:
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        return None
    return await session.get(StaffUserRow, key)


def _matches(keys: list[str]) -> Any:
    return or_(
        col(StaffUserRow.badge_no).in_(keys),
        col(StaffUserRow.username).in_([k.lower() for k in keys]),
        cast(col(StaffUserRow.id), Text).in_(keys),
    )


async def find_officer(session: AsyncSession, key: str) -> StaffUserRow | None:
    """A staff member named by id, username or badge number."""
    stmt = select(StaffUserRow).where(_matches([key])).order_by(col(StaffUserRow.username)).limit(1)
    return (await session.execute(stmt)).scalar_one_or_none()


async def units_of_officers(session: AsyncSession, keys: Iterable[str]) -> dict[str, str]:
    """officer key (id, username or badge number) -> unit id, in one query for a batch."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    rows = (await session.execute(select(StaffUserRow).where(_matches(wanted)))).scalars()
    found: dict[str, str] = {}
    for row in rows:
        if row.unit_id is None:
            continue
        for key in (row.badge_no, row.username, str(row.id)):
            if key is not None:
                found.setdefault(key, row.unit_id)
    result = {}
    for key in wanted:
        unit = found.get(key) or found.get(key.lower())
        if unit is not None:
            result[key] = unit
    return result


async def list_users(session: AsyncSession) -> list[StaffUserRow]:
    return list((await session.execute(select(StaffUserRow).order_by(col(StaffUserRow.username)))).scalars())
