"""Default policies for the demo city; routing's demo seeder calls `seed_policies`."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from routing.sla.policy import DEFAULT_POLICIES
from routing.sla.tables import SlaPolicyRow


async def seed_policies(session: AsyncSession) -> int:
    """Insert the default policy of each priority (category `*`) unless one exists: an
    administrator's edit is never overwritten. Returns how many rows were added. Does not
    commit."""
    rows = [
        {
            "category": category,
            "priority": priority,
            **policy.model_dump(mode="json"),
            "updated_at": func.now(),
            "updated_by": "seed",
        }
        for (category, priority), policy in DEFAULT_POLICIES.items()
    ]
    result = await session.execute(insert(SlaPolicyRow).values(rows).on_conflict_do_nothing())
    return int(result.rowcount)  # type: ignore[attr-defined]
