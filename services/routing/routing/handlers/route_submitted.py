"""complaint.submitted -> the complaint's case, routed to a unit (or to triage).

Batch-native: one directory look-up (cached per revision), one spatial query for all the
points, one query for the officers the batch names, one insert of the cases, one of the
assignments and one of the history; only arming the deadlines is per complaint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huiyin.db import UnitOfWork
from huiyin.events.complaints import ComplaintSubmitted
from huiyin.events.envelope import Event
from routing.adapters import cases_repo, users_repo
from routing.adapters.units_repo import DirectoryCache
from routing.domain.rules import ComplaintFacts, decide_many
from routing.handlers.assigning import Placement, place


def facts_of(
    complaint: ComplaintSubmitted | dict[str, Any],
    officer_units: dict[str, str],
    excluded: frozenset[str] = frozenset(),
) -> ComplaintFacts:
    """The routing facts of a complaint, from the submitted event or a stored case."""
    if isinstance(complaint, ComplaintSubmitted):
        loc = complaint.location.model_dump()
        subject = complaint.subject.model_dump() if complaint.subject else {}
        category = complaint.category
    else:
        loc, subject, category = complaint["location"], complaint.get("subject") or {}, complaint["category"]
    officer = subject.get("officer_id")
    return ComplaintFacts(
        category=category,
        lat=loc.get("lat"),
        lon=loc.get("lon"),
        subject_unit_id=subject.get("unit_id"),
        subject_officer_id=officer,
        officer_unit_id=officer_units.get(officer) if officer else None,
        excluded=excluded,
    )


async def route_submitted(
    uow: UnitOfWork, events: Sequence[Event[ComplaintSubmitted]], *, directories: DirectoryCache
) -> None:
    directory = await directories.get(uow.session)
    submitted: dict[Any, ComplaintSubmitted] = {}
    for event in events:
        submitted.setdefault(event.data.complaint_id, event.data)
    named = [c.subject.officer_id for c in submitted.values() if c.subject and c.subject.officer_id]
    officer_units = await users_repo.units_of_officers(uow.session, named)
    now = uow.clock.now()
    decisions = decide_many([facts_of(c, officer_units) for c in submitted.values()], directory)
    placements = {
        cid: Placement.plan(
            complaint_id=cid,
            category=c.category,
            priority=c.priority,
            decision=decision,
            reason="initial",
            at=now,
        )
        for (cid, c), decision in zip(submitted.items(), decisions, strict=True)
    }
    rows = [
        {
            "complaint_id": cid,
            "tracking_code": c.tracking_code,
            "category": c.category,
            "priority": c.priority,
            "description": c.description,
            "location": c.location.model_dump(),
            "subject": c.subject.model_dump() if c.subject else None,
            "channel": c.channel,
            "submitted_at": c.submitted_at,
            "version": 1,
            **placements[cid].case_values(directory),
        }
        for cid, c in submitted.items()
    ]
    fresh = await cases_repo.insert_new(uow.session, rows)
    await place(uow, directory, [p for cid, p in placements.items() if cid in fresh])
