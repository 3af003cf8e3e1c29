"""Detection's reads and writes of sightings and groups, set-based: one insert per table,
one read of the touched groups' members (the band keys are in lsh_index). Nothing here
commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from routing.hotspots.tables import HotspotRow, HotspotSightingRow
from routing.sla.tables import cols

S, G = cols(HotspotSightingRow), cols(HotspotRow)


async def lock_categories(session: AsyncSession, categories: Iterable[str]) -> None:
    """Serialise detection per category across replicas until this transaction ends. Taken
    one by one in sorted order, so two batches never wait for each other in a cycle."""
    for category in sorted(set(categories)):
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"hotspots:{category}"}
        )


async def known(session: AsyncSession, ids: Sequence[UUID]) -> set[UUID]:
    rows = await session.execute(select(S.complaint_id).where(S.complaint_id.in_(ids)))
    return set(rows.scalars())


async def insert_sightings(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        stmt = insert(HotspotSightingRow).values(list(rows)).on_conflict_do_nothing()
        await session.execute(stmt)


async def regroup(session: AsyncSession, moves: Mapping[UUID, UUID], *, at: datetime) -> None:
    """Earlier, ungrouped sightings that a new complaint pulled into a group."""
    for group_id in set(moves.values()):
        ids = [cid for cid, gid in moves.items() if gid == group_id]
        await session.execute(
            update(HotspotSightingRow)
            .where(S.complaint_id.in_(ids), S.group_id.is_(None))
            .values(group_id=group_id, joined_at=at)
        )


async def lock_groups(session: AsyncSession, ids: Iterable[UUID]) -> dict[UUID, HotspotRow]:
    """The touched groups, locked (a concurrent adopt or solve waits, or we wait for it)."""
    ids = sorted(set(ids), key=str)
    if not ids:
        return {}
    rows = await session.execute(select(HotspotRow).where(G.id.in_(ids)).order_by(G.id).with_for_update())
    return {row.id: row for row in rows.scalars()}


async def members(session: AsyncSession, group_ids: Iterable[UUID]) -> list[Any]:
    """Every member of the groups, oldest first (cost grows with a hot spot's size, never
    with the number of complaints stored)."""
    ids = list(set(group_ids))
    if not ids:
        return []
    stmt = (
        select(S.group_id, S.complaint_id, S.citizen_ref, S.unit_id, S.district_id, S.at, S.terms)
        .where(S.group_id.in_(ids))
        .order_by(S.at, S.complaint_id)
    )
    return list((await session.execute(stmt)).all())


async def insert_groups(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(HotspotRow).values(list(rows)))


async def update_group(session: AsyncSession, group_id: UUID, values: dict[str, Any]) -> None:
    await session.execute(update(HotspotRow).where(G.id == group_id).values(**values))
