"""The citizen's verdict: reopen at the same unit (a new cycle), or close; no verdict in time
closes with 'no feedback'. Stale verdicts (another cycle, or not resolved) are recorded only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import structlog

from huiyin.db import UnitOfWork
from huiyin.events.assignments import ComplaintClosed, ComplaintReopened
from huiyin.events.envelope import Event
from huiyin.events.feedback import FeedbackExpired, VerdictGiven
from routing.adapters import cases_repo, timeline_repo
from routing.adapters.tables import CaseRow
from routing.adapters.units_repo import DirectoryCache
from routing.domain.directory import Directory
from routing.domain.lifecycle import State
from routing.sla import service as sla

log = structlog.get_logger("routing.feedback_events")


async def apply_feedback(
    uow: UnitOfWork, events: Sequence[Event[VerdictGiven | FeedbackExpired]], *, directories: DirectoryCache
) -> None:
    directory = await directories.get(uow.session)
    cases = await cases_repo.lock_many(uow.session, (e.data.complaint_id for e in events))
    history: list[dict[str, Any]] = []
    for event in events:
        v = event.data
        case = cases.get(v.complaint_id)
        if case is None:
            log.warning("feedback on a complaint routing never saw", complaint_id=str(v.complaint_id))
            continue
        verdict = v.satisfaction if isinstance(v, VerdictGiven) else "no_feedback"
        if case.state != State.RESOLVED or case.cycle != v.cycle or case.assignment_id is None:
            history.append(
                timeline_repo.history_row(
                    case.complaint_id,
                    "feedback_ignored",
                    v.at,
                    actor="citizen",
                    verdict=verdict,
                    state=case.state,
                    cycle=v.cycle,
                )
            )
            continue
        reopen = isinstance(v, VerdictGiven) and v.reopen_requested
        if reopen:
            await _reopen(uow, case, v.at, directory)
        else:
            await _close(uow, case, v.at, reason="verdict" if isinstance(v, VerdictGiven) else "no_feedback")
        history.append(
            timeline_repo.history_row(
                case.complaint_id,
                "reopened" if reopen else "closed",
                v.at,
                assignment_id=case.assignment_id,
                actor="citizen",
                verdict=verdict,
                cycle=case.cycle,
            )
        )
    await timeline_repo.add_history(uow.session, history)


async def _reopen(uow: UnitOfWork, case: CaseRow, at: datetime, directory: Directory) -> None:
    assert case.assignment_id is not None
    cycle = case.cycle + 1
    deadlines = await sla.arm_cycle(
        uow,
        complaint_id=case.complaint_id,
        assignment_id=case.assignment_id,
        unit_id=case.unit_id,
        category=case.category,
        priority=case.priority,
        cycle=cycle,
        start=at,
        escalation_units=directory.escalation_units(case.unit_id),
    )
    case.state, case.cycle, case.answer = State.ROUTED.value, cycle, None
    case.version, case.updated_at = case.version + 1, at
    uow.emit(
        ComplaintReopened(
            complaint_id=case.complaint_id,
            assignment_id=case.assignment_id,
            unit_id=case.unit_id,
            **directory.facts(case.unit_id),
            category=case.category,
            cycle=cycle,
            reopened_at=at,
            ack_due=deadlines.ack_due,
            resolve_due=deadlines.resolve_due,
            provisional=deadlines.provisional,
        )
    )


async def _close(uow: UnitOfWork, case: CaseRow, at: datetime, *, reason: str) -> None:
    assert case.assignment_id is not None
    await sla.cancel_cycle(uow, assignment_id=case.assignment_id, cycle=case.cycle, at=at)
    await timeline_repo.end_assignments(
        uow.session, [{"id": case.assignment_id, "ended_at": at, "end_reason": "closed"}]
    )
    case.state, case.version, case.updated_at = State.CLOSED.value, case.version + 1, at
    uow.emit(ComplaintClosed(complaint_id=case.complaint_id, unit_id=case.unit_id, reason=reason, at=at))
