"""Hot spots in the accountability read model: one fact row per hot spot, its outcome and
the days it is counted in (docs/metrics.md, "Hot spots").

Like the complaint facts, raw columns merge so that arrival order does not matter (earliest
moment wins, latest deadline source wins) and derived columns are recomputed from them.
An adopted hot spot's deadline is one obligation of its owner unit: met when solved on time,
missed when solved late or overdue, counted in the day of the earlier of (solved, deadline).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import DateTime, Index, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from feedback.adapters.readmodel_derive import DAY

TZ = DateTime(timezone=True)


class RmHotspot(SQLModel, table=True):
    __tablename__ = "fb_rm_hotspot"
    __table_args__ = (
        Index("ix_fb_rm_hotspot_adopted", "unit_id", "adopted_day"),
        Index("ix_fb_rm_hotspot_counted", "unit_id", "counted_day"),
    )
    hotspot_id: UUID = Field(primary_key=True)
    # raw, from the events
    detected_category: str | None = None
    owner_unit_id: str | None = None
    adopted_at: datetime | None = Field(default=None, sa_type=TZ)
    deadline: datetime | None = Field(default=None, sa_type=TZ)
    deadline_set_at: datetime | None = Field(default=None, sa_type=TZ)
    solved_at: datetime | None = Field(default=None, sa_type=TZ)
    solved_on_time: bool | None = None
    overdue_at: datetime | None = Field(default=None, sa_type=TZ)
    # derived
    unit_id: str = ""  # the owner unit ('' until adopted)
    category: str = ""
    outcome: str = "detected"  # detected | open | met | missed
    adopted_day: date | None = None
    counted_at: datetime | None = Field(default=None, sa_type=TZ)
    counted_day: date | None = None


UPSERT = """
INSERT INTO fb_rm_hotspot AS h (hotspot_id, detected_category, owner_unit_id, adopted_at, deadline,
  deadline_set_at, solved_at, solved_on_time, overdue_at, unit_id, category, outcome)
VALUES (:hotspot_id, :detected_category, :owner_unit_id, :adopted_at, :deadline,
  :deadline_set_at, :solved_at, :solved_on_time, :overdue_at, '', '', 'detected')
ON CONFLICT (hotspot_id) DO UPDATE SET
  detected_category = coalesce(h.detected_category, excluded.detected_category),
  owner_unit_id = CASE WHEN excluded.adopted_at IS NOT NULL AND (h.adopted_at IS NULL OR excluded.adopted_at < h.adopted_at)
                       THEN excluded.owner_unit_id ELSE coalesce(h.owner_unit_id, excluded.owner_unit_id) END,
  adopted_at = least(h.adopted_at, excluded.adopted_at),
  deadline = CASE WHEN excluded.deadline IS NOT NULL AND (h.deadline IS NULL
              OR (excluded.deadline_set_at, excluded.deadline) > (h.deadline_set_at, h.deadline))
             THEN excluded.deadline ELSE h.deadline END,
  deadline_set_at = CASE WHEN excluded.deadline IS NOT NULL AND (h.deadline IS NULL
              OR (excluded.deadline_set_at, excluded.deadline) > (h.deadline_set_at, h.deadline))
             THEN excluded.deadline_set_at ELSE h.deadline_set_at END,
  solved_on_time = CASE WHEN excluded.solved_at < h.solved_at OR h.solved_at IS NULL
                        THEN coalesce(excluded.solved_on_time, h.solved_on_time) ELSE h.solved_on_time END,
  solved_at = least(h.solved_at, excluded.solved_at),
  overdue_at = least(h.overdue_at, excluded.overdue_at)
"""

DERIVE = f"""
WITH judged AS (
  SELECT hotspot_id, CASE
      WHEN adopted_at IS NULL THEN 'detected'
      WHEN solved_at IS NOT NULL THEN CASE WHEN solved_on_time THEN 'met' ELSE 'missed' END
      WHEN overdue_at IS NOT NULL THEN 'missed'
      ELSE 'open' END AS outcome
    FROM fb_rm_hotspot WHERE hotspot_id = ANY(:ids)
)
UPDATE fb_rm_hotspot h SET
  unit_id = CASE WHEN h.adopted_at IS NULL THEN '' ELSE coalesce(h.owner_unit_id, '') END,
  category = coalesce(h.detected_category, ''),
  outcome = j.outcome,
  adopted_day = (h.adopted_at {DAY},
  counted_at = CASE WHEN j.outcome IN ('met', 'missed') THEN least(h.solved_at, h.deadline) END,
  counted_day = CASE WHEN j.outcome IN ('met', 'missed') THEN (least(h.solved_at, h.deadline) {DAY} END
  FROM judged j WHERE h.hotspot_id = j.hotspot_id
"""  # noqa: S608 (fragments are constants; values are bound)

# An owner unit no complaint was routed to yet still gets a row (for the unit table); any
# real unit facts replace it, as their time is later than this one.
UNIT_PLACEHOLDER_SEEN_AT = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


async def derive(session: AsyncSession, hotspot_ids: Collection[UUID]) -> None:
    await session.execute(text(DERIVE), {"ids": list(hotspot_ids)})
