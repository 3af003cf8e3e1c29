"""Keeping the citizen's status view current from routing, SLA and feedback events.

Batch-native: one query for the current states, one UPDATE per shape of change, one
INSERT for the timeline. Idempotent: the consumer skips events it applied before, and a
timeline entry is keyed by its event id. Events about complaints intake does not hold
(another environment's, or filed before a restore) are skipped, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import structlog

from huiyin.db import UnitOfWork
from huiyin.events import Event
from intake.adapters import status_repo
from intake.domain.status import FINAL
from intake.domain.view_changes import ViewChange, change_for

log = structlog.get_logger("intake.status_view")


async def apply_status_events(uow: UnitOfWork, events: Sequence[Event[Any]]) -> None:
    changes = [(e.id, c) for e in events if (c := change_for(e.data)) is not None]
    if not changes:
        return
    states = await status_repo.current_states(uow.session, list({c.complaint_id for _, c in changes}))
    unknown = {c.complaint_id for _, c in changes} - states.keys()
    if unknown:
        log.debug(
            "events about complaints intake does not hold; skipped",
            event_type=events[0].type,
            count=len(unknown),
        )
    applied: list[tuple[str, ViewChange]] = []
    for event_id, change in changes:
        current = states.get(change.complaint_id)
        if current is None or not _applies(change, current):
            continue
        applied.append((event_id, change))
        if change.state is not None:
            states[change.complaint_id] = change.state
    await status_repo.apply_changes(uow.session, [c for _, c in applied])
    await status_repo.add_timeline(
        uow.session, [(c.complaint_id, event_id, c.at, *c.timeline) for event_id, c in applied if c.timeline]
    )


def _applies(change: ViewChange, current: str) -> bool:
    if change.state is not None and current in FINAL:
        return False  # e.g. a station's acknowledgement that crossed the citizen's withdrawal
    return change.only_from is None or current in change.only_from
