"""Hot spots in SQL: set-based upserts from a batch of events, members, and the citizen's read.

Upserts are monotone (earliest moments, largest size, the latest owner/deadline when given),
so a redelivered or replayed event changes nothing. Members are only complaints intake
holds: another environment's complaint ids are dropped by the join.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from huiyin.sqlsets import Column, column_params, unnest_insert, unnest_select
from intake.adapters.hotspot_tables import IntakeHotspot, IntakeHotspotMember
from intake.domain.hotspots import HotspotChange

HOTSPOT_COLUMNS: list[Column] = [
    ("hotspot_id", "uuid"),
    ("complaint_count", "int"),
    ("detected_at", "timestamptz"),
    ("adopted_at", "timestamptz"),
    ("owner_unit_name", "text"),
    ("deadline", "timestamptz"),
    ("solved_at", "timestamptz"),
    ("solved_summary", "text"),
    ("updated_at", "timestamptz"),
]
UPSERT_HOTSPOTS = text(
    unnest_insert(
        "intake_hotspot",
        HOTSPOT_COLUMNS,
        suffix="""ON CONFLICT (hotspot_id) DO UPDATE SET
  complaint_count = greatest(intake_hotspot.complaint_count, excluded.complaint_count),
  detected_at = least(intake_hotspot.detected_at, excluded.detected_at),
  adopted_at = least(intake_hotspot.adopted_at, excluded.adopted_at),
  owner_unit_name = coalesce(excluded.owner_unit_name, intake_hotspot.owner_unit_name),
  deadline = coalesce(excluded.deadline, intake_hotspot.deadline),
  solved_at = least(intake_hotspot.solved_at, excluded.solved_at),
  solved_summary = coalesce(excluded.solved_summary, intake_hotspot.solved_summary),
  updated_at = greatest(intake_hotspot.updated_at, excluded.updated_at)""",
    )
)
MEMBER_COLUMNS: list[Column] = [
    ("hotspot_id", "uuid"),
    ("complaint_id", "uuid"),
    ("joined_at", "timestamptz"),
]
INSERT_MEMBERS = text(
    f"""INSERT INTO intake_hotspot_member (hotspot_id, complaint_id, joined_at)
SELECT m.hotspot_id, m.complaint_id, m.joined_at FROM ({unnest_select(MEMBER_COLUMNS)}) m
  JOIN intake_complaints c ON c.id = m.complaint_id
ON CONFLICT DO NOTHING"""  # noqa: S608 - column names are our constants
)


async def upsert(session: AsyncSession, rows: Sequence[HotspotChange]) -> None:
    """One row per hot spot (merge a batch's changes first: a row may be updated only once)."""
    if not rows:
        return
    params = [
        {name: getattr(r, name) for name, _ in HOTSPOT_COLUMNS if name != "updated_at"} | {"updated_at": r.at}
        for r in rows
    ]
    await session.execute(UPSERT_HOTSPOTS, column_params(HOTSPOT_COLUMNS, params))


async def add_members(session: AsyncSession, members: Sequence[tuple[UUID, UUID, object]]) -> None:
    """(hotspot_id, complaint_id, joined_at) rows; complaints intake does not hold are skipped."""
    if not members:
        return
    rows = [{"hotspot_id": h, "complaint_id": c, "joined_at": at} for h, c, at in members]
    await session.execute(INSERT_MEMBERS, column_params(MEMBER_COLUMNS, rows))


async def members_of(session: AsyncSession, hotspot_ids: Sequence[UUID]) -> dict[UUID, list[UUID]]:
    rows = await session.execute(
        select(col(IntakeHotspotMember.hotspot_id), col(IntakeHotspotMember.complaint_id))
        .where(col(IntakeHotspotMember.hotspot_id).in_(hotspot_ids))
        .order_by(col(IntakeHotspotMember.complaint_id))
    )
    out: dict[UUID, list[UUID]] = {}
    for hotspot_id, complaint_id in rows:
        out.setdefault(hotspot_id, []).append(complaint_id)
    return out


async def by_ids(session: AsyncSession, hotspot_ids: Sequence[UUID]) -> dict[UUID, IntakeHotspot]:
    found = await session.scalars(select(IntakeHotspot).where(col(IntakeHotspot.hotspot_id).in_(hotspot_ids)))
    return {h.hotspot_id: h for h in found}


async def adopted_for(session: AsyncSession, complaint_id: UUID) -> IntakeHotspot | None:
    """The adopted hot spot this complaint is in (the latest adopted, should there be two)."""
    found = await session.scalars(
        select(IntakeHotspot)
        .join(IntakeHotspotMember, col(IntakeHotspotMember.hotspot_id) == col(IntakeHotspot.hotspot_id))
        .where(col(IntakeHotspotMember.complaint_id) == complaint_id)
        .where(col(IntakeHotspot.adopted_at).is_not(None))
        .order_by(col(IntakeHotspot.adopted_at).desc())
        .limit(1)
    )
    return found.first()
