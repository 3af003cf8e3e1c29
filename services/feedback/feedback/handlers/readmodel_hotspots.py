"""The read model's consumer handler for hot-spot events: the hot spot's facts, its derived
outcome and days, and the change in what it counts in the owner unit's daily counters.
Same lock, same shape as the complaint handlers (handlers/readmodel.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text

from feedback.adapters import readmodel_hotspots as rm
from feedback.adapters import readmodel_rollup, readmodel_sql
from feedback.adapters.readmodel_rollup import READ_MODEL_LOCK
from feedback.handlers.readmodel_facts import Row
from huiyin.db import UnitOfWork
from huiyin.events import Event
from huiyin.events import hotspots as h

_FIELDS = (
    "detected_category", "owner_unit_id", "adopted_at", "deadline", "deadline_set_at", "solved_at",
    "solved_on_time", "overdue_at",
)  # fmt: skip
COUNTED = (h.HotspotDetected, h.HotspotAdopted, h.HotspotOverdue, h.HotspotSolved)


def hotspot_row(d: h.HotspotEvent) -> Row:
    row: Row = dict.fromkeys(_FIELDS)
    row["hotspot_id"] = d.hotspot_id
    if isinstance(d, h.HotspotDetected):
        row.update(detected_category=d.category)
    elif isinstance(d, h.HotspotAdopted):
        row.update(
            owner_unit_id=d.owner_unit_id, adopted_at=d.adopted_at, deadline=d.deadline,
            deadline_set_at=d.adopted_at,
        )  # fmt: skip
    elif isinstance(d, h.HotspotOverdue):
        row.update(owner_unit_id=d.owner_unit_id, overdue_at=d.at, deadline=d.deadline, deadline_set_at=d.at)
    elif isinstance(d, h.HotspotSolved):
        row.update(
            owner_unit_id=d.owner_unit_id, solved_at=d.at, solved_on_time=d.on_time, deadline=d.deadline,
            deadline_set_at=d.at,
        )  # fmt: skip
    else:
        raise TypeError(f"not a hot-spot event the read model counts: {type(d).__name__}")
    return row


def owner_placeholder(d: h.HotspotAdopted) -> Row:
    return {
        "unit_id": d.owner_unit_id, "name": d.owner_unit_name, "kind": "", "district_id": None,
        "district_name": None, "seen_at": rm.UNIT_PLACEHOLDER_SEEN_AT,
    }  # fmt: skip


async def apply_hotspot_facts(uow: UnitOfWork, events: Sequence[Event[Any]]) -> None:
    session = uow.session
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": READ_MODEL_LOCK})
    ids = {e.data.hotspot_id for e in events}
    before = await readmodel_rollup.of_hotspots(session, ids)
    await session.execute(text(rm.UPSERT), [hotspot_row(e.data) for e in events])
    owners = [owner_placeholder(e.data) for e in events if isinstance(e.data, h.HotspotAdopted)]
    await readmodel_sql.UNIT.write(session, owners)
    await rm.derive(session, ids)
    await readmodel_rollup.apply_change(session, before, await readmodel_rollup.of_hotspots(session, ids))
