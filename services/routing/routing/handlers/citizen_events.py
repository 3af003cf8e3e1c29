"""complaint.withdrawn and complaint.information_added, applied to locked cases in a batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import structlog

from huiyin.db import UnitOfWork
from huiyin.events.assignments import ComplaintClosed, ComplaintResumed
from huiyin.events.complaints import ComplaintWithdrawn, InformationAdded
from huiyin.events.envelope import Event
from routing.adapters import cases_repo, timeline_repo
from routing.domain.lifecycle import WITHDRAWABLE, State
from routing.sla import service as sla

log = structlog.get_logger("routing.citizen_events")


async def withdraw(uow: UnitOfWork, events: Sequence[Event[ComplaintWithdrawn]]) -> None:
    cases = await cases_repo.lock_many(uow.session, (e.data.complaint_id for e in events))
    history: list[dict[str, Any]] = []
    ends: list[dict[str, Any]] = []
    for event in events:
        w = event.data
        case = cases.get(w.complaint_id)
        if case is None:
            log.warning("withdrawal of a complaint routing never saw", complaint_id=str(w.complaint_id))
            continue
        if State(case.state) not in WITHDRAWABLE:
            history.append(
                timeline_repo.history_row(
                    case.complaint_id, "withdrawal_ignored", w.withdrawn_at, actor="citizen", state=case.state
                )
            )
            continue
        if case.assignment_id is not None:
            await sla.cancel_cycle(uow, assignment_id=case.assignment_id, cycle=case.cycle, at=w.withdrawn_at)
            ends.append({"id": case.assignment_id, "ended_at": w.withdrawn_at, "end_reason": "withdrawn"})
        case.state, case.version, case.updated_at = State.WITHDRAWN.value, case.version + 1, w.withdrawn_at
        uow.emit(
            ComplaintClosed(
                complaint_id=case.complaint_id, unit_id=case.unit_id, reason="withdrawn", at=w.withdrawn_at
            )
        )
        history.append(
            timeline_repo.history_row(
                case.complaint_id,
                "withdrawn",
                w.withdrawn_at,
                assignment_id=case.assignment_id,
                actor="citizen",
                reason=w.reason,
            )
        )
    await timeline_repo.end_assignments(uow.session, ends)
    await timeline_repo.add_history(uow.session, history)


async def add_information(uow: UnitOfWork, events: Sequence[Event[InformationAdded]]) -> None:
    """The citizen's answer goes on the timeline; if the station was waiting for it, the
    resolve clock runs again (its deadline moved by the pause)."""
    cases = await cases_repo.lock_many(uow.session, (e.data.complaint_id for e in events))
    history: list[dict[str, Any]] = []
    for event in events:
        info = event.data
        case = cases.get(info.complaint_id)
        if case is None:
            log.warning("information for a complaint routing never saw", complaint_id=str(info.complaint_id))
            continue
        history.append(
            timeline_repo.history_row(
                case.complaint_id,
                "information_added",
                info.added_at,
                assignment_id=case.assignment_id,
                actor="citizen",
                text=info.text,
            )
        )
        if case.state != State.AWAITING_CITIZEN or case.assignment_id is None:
            continue
        resolve_due, paused_s = await sla.resume(
            uow, assignment_id=case.assignment_id, cycle=case.cycle, at=info.added_at
        )
        case.state, case.version, case.updated_at = State.IN_PROGRESS.value, case.version + 1, info.added_at
        uow.emit(
            ComplaintResumed(
                complaint_id=case.complaint_id,
                assignment_id=case.assignment_id,
                unit_id=case.unit_id,
                cycle=case.cycle,
                at=info.added_at,
                paused_s=paused_s,
                resolve_due=resolve_due,
            )
        )
    await timeline_repo.add_history(uow.session, history)
