"""Reading and writing units; the directory every process caches until units change."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.adapters.tables import UNIT_REVISION, UnitRow
from routing.domain.directory import Directory
from routing.domain.geometry import parse_area
from routing.domain.units import Unit, UnitKind

UNIT_FIELDS = ("name", "name_en", "kind", "parent_id", "categories", "jurisdiction", "contact", "calendar")


def to_unit(row: UnitRow) -> Unit:
    return Unit(
        id=row.id,
        name=row.name,
        name_en=row.name_en,
        kind=UnitKind(row.kind),
        parent_id=row.parent_id,
        categories=frozenset(row.categories),
        area=parse_area(row.jurisdiction) if row.jurisdiction else None,
        retired=row.retired_at is not None,
    )


async def current_revision(session: AsyncSession) -> int:
    revision = (await session.execute(select(func.max(col(UnitRow.revision))))).scalar_one()
    return int(revision or 0)


async def all_units(session: AsyncSession) -> list[UnitRow]:
    return list((await session.execute(select(UnitRow).order_by(col(UnitRow.id)))).scalars())


async def get(session: AsyncSession, unit_id: str) -> UnitRow | None:
    return await session.get(UnitRow, unit_id)


async def upsert(session: AsyncSession, rows: Sequence[dict[str, Any]], *, now: datetime) -> set[str]:
    """Insert or update units by id; returns the ids that were new."""
    if not rows:
        return set()
    existing = set(
        (
            await session.execute(select(col(UnitRow.id)).where(col(UnitRow.id).in_([r["id"] for r in rows])))
        ).scalars()
    )
    stmt = insert(UnitRow).values([{**r, "updated_at": now} for r in rows])
    stmt = stmt.on_conflict_do_update(
        index_elements=[col(UnitRow.id)],
        set_={
            **{f: stmt.excluded[f] for f in UNIT_FIELDS},
            "updated_at": stmt.excluded.updated_at,
            "revision": UNIT_REVISION.next_value(),
        },
    )
    await session.execute(stmt)
    return {r["id"] for r in rows} - existing


async def change(session: AsyncSession, unit_id: str, values: dict[str, Any], *, now: datetime) -> None:
    await session.execute(
        update(UnitRow)
        .where(col(UnitRow.id) == unit_id)
        .values(**values, updated_at=now, revision=UNIT_REVISION.next_value())
    )


class DirectoryCache:
    """The unit directory and its spatial index, rebuilt only when the revision moves."""

    def __init__(self) -> None:
        self._directory: Directory | None = None
        self._lock = asyncio.Lock()

    async def get(self, session: AsyncSession) -> Directory:
        revision = await current_revision(session)
        if self._directory is not None and self._directory.revision == revision:
            return self._directory
        async with self._lock:
            if self._directory is None or self._directory.revision != revision:
                rows = await all_units(session)
                self._directory = Directory([to_unit(r) for r in rows], revision=revision)
        return self._directory
