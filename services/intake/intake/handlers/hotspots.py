"""Recording, per complaint, the hot spot it belongs to, from routing's hot-spot events.

Batch-native: the run's changes merged per hot spot (one upsert), members in one insert,
timeline entries in one insert. Idempotent like the status view: the consumer skips events
it applied, the upserts are monotone and a timeline entry is keyed by its event id.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from huiyin.db import UnitOfWork
from huiyin.events import Event
from intake.adapters import hotspot_repo, status_repo
from intake.domain.hotspots import HotspotChange, change_for, merged

TimelineRow = tuple[UUID, str, datetime, str, dict[str, Any]]


async def apply_hotspot_events(uow: UnitOfWork, events: Sequence[Event[Any]]) -> None:
    changes = [(e.id, c) for e in events if (c := change_for(e.data)) is not None]
    if not changes:
        return
    rows: dict[UUID, HotspotChange] = {}
    for _, c in changes:
        rows[c.hotspot_id] = merged(rows[c.hotspot_id], c) if c.hotspot_id in rows else c
    session = uow.session
    await hotspot_repo.upsert(session, list(rows.values()))
    await hotspot_repo.add_members(
        session, [(c.hotspot_id, member, c.at) for _, c in changes for member in c.members]
    )
    ids = list(rows)
    stored = await hotspot_repo.by_ids(session, ids)
    members = await hotspot_repo.members_of(session, ids)
    entries: list[TimelineRow] = []
    for event_id, c in changes:
        if c.timeline is None:
            continue
        kind, audience = c.timeline
        hotspot = stored[c.hotspot_id]
        if audience == "linked":
            if hotspot.adopted_at is None:
                continue  # joined a hot spot nobody adopted yet: nothing to tell the citizen
            held = [m for m in c.members if m in members.get(c.hotspot_id, [])]
            detail = {"owner_unit_name": hotspot.owner_unit_name, "deadline": hotspot.deadline}
        else:
            held, detail = members.get(c.hotspot_id, []), c.detail
        entries += [(m, event_id, c.at, kind, detail) for m in held]
    await status_repo.add_timeline(session, entries)
