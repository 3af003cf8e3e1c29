"""Placing complaints at units: one new assignment each (deadlines armed, ComplaintRouted),
or the dispatch desk's triage queue (ComplaintUnroutable). Shared by the consumer (a batch
of submissions) and by staff actions (return, transfer, manual routing)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from huiyin.db import UnitOfWork
from huiyin.events.assignments import ComplaintRouted, ComplaintUnroutable, RouteReason
from routing.adapters import timeline_repo
from routing.domain.decision import RouteDecision
from routing.domain.directory import Directory
from routing.domain.lifecycle import State
from routing.sla import service as sla

NO_DISPATCH_DESK = "dispatch-desk"  # used when no dispatch desk unit is configured


@dataclass(frozen=True)
class Placement:
    complaint_id: UUID
    category: str
    priority: str
    decision: RouteDecision
    reason: RouteReason
    at: datetime
    by: str | None = None
    assignment_id: UUID | None = field(default=None)

    @classmethod
    def plan(cls, **kw: Any) -> Placement:
        """A placement with its assignment id chosen now (None when unroutable)."""
        decision: RouteDecision = kw["decision"]
        return cls(**kw, assignment_id=uuid.uuid4() if decision.routable else None)

    def case_values(self, directory: Directory) -> dict[str, Any]:
        """The case's columns once placed."""
        if self.decision.routable:
            state, unit_id, cycle = State.ROUTED, self.decision.unit_id, 1
        else:
            state, unit_id, cycle = State.UNROUTABLE, dispatch_desk_id(directory), 0
        return {
            "state": state.value,
            "unit_id": unit_id,
            "assignment_id": self.assignment_id,
            "cycle": cycle,
            "officer_id": None,
            "answer": None,
            "updated_at": self.at,
        }


def dispatch_desk_id(directory: Directory) -> str:
    desk = directory.dispatch_desk()
    return desk.id if desk is not None else NO_DISPATCH_DESK


async def place(uow: UnitOfWork, directory: Directory, placements: Sequence[Placement]) -> None:
    """Write the assignments and their history in bulk; arm each cycle; emit the events."""
    assignments: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    routable = [p for p in placements if p.assignment_id is not None and p.decision.unit_id is not None]
    deadlines = await sla.arm_cycles(uow, [_arm_request(directory, p) for p in routable])
    armed = dict(zip((p.complaint_id for p in routable), deadlines, strict=True))
    for p in placements:
        if p.assignment_id is None or p.decision.unit_id is None:
            history.append(_to_triage(uow, directory, p))
        else:
            assignments.append(_assignment_row(p, p.assignment_id, p.decision.unit_id))
            history.append(_to_unit(uow, directory, p, armed[p.complaint_id]))
    await timeline_repo.add_assignments(uow.session, assignments)
    await timeline_repo.add_history(uow.session, history)


def _to_triage(uow: UnitOfWork, directory: Directory, p: Placement) -> dict[str, Any]:
    d, desk = p.decision, dispatch_desk_id(directory)
    uow.emit(ComplaintUnroutable(complaint_id=p.complaint_id, unit_id=desk, reason=d.explanation, at=p.at))
    candidates = [c.model_dump() for c in d.candidates]
    return timeline_repo.history_row(
        p.complaint_id, "unroutable", p.at, actor=p.by, unit_id=desk, rule=d.rule,
        explanation=d.explanation, candidates=candidates,
    )  # fmt: skip


def _assignment_row(p: Placement, assignment_id: UUID, unit_id: str) -> dict[str, Any]:
    d = p.decision
    return {
        "id": assignment_id,
        "complaint_id": p.complaint_id,
        "unit_id": unit_id,
        "reason": p.reason,
        "rule": d.rule,
        "explanation": d.explanation,
        "candidates": [c.model_dump() for c in d.candidates],
        "routed_at": p.at,
        "routed_by": p.by,
    }


def _arm_request(directory: Directory, p: Placement) -> sla.ArmRequest:
    assert p.assignment_id is not None and p.decision.unit_id is not None
    return sla.ArmRequest(
        complaint_id=p.complaint_id,
        assignment_id=p.assignment_id,
        unit_id=p.decision.unit_id,
        category=p.category,
        priority=p.priority,
        cycle=1,
        start=p.at,
        escalation_units=directory.escalation_units(p.decision.unit_id),
    )


def _to_unit(uow: UnitOfWork, directory: Directory, p: Placement, deadlines: sla.Deadlines) -> dict[str, Any]:
    d = p.decision
    assignment_id, unit_id = p.assignment_id, p.decision.unit_id
    assert assignment_id is not None and unit_id is not None
    uow.emit(
        ComplaintRouted(
            complaint_id=p.complaint_id,
            assignment_id=assignment_id,
            unit_id=unit_id,
            **directory.facts(unit_id),
            category=p.category,
            priority=p.priority,
            reason=p.reason,
            rule=d.rule,
            explanation=d.explanation,
            candidates=list(d.candidates),
            routed_at=p.at,
            cycle=1,
            ack_due=deadlines.ack_due,
            resolve_due=deadlines.resolve_due,
            calendar=deadlines.calendar,
            provisional=deadlines.provisional,
        )
    )
    return timeline_repo.history_row(
        p.complaint_id, "routed", p.at, assignment_id=assignment_id, actor=p.by, unit_id=unit_id,
        reason=p.reason, rule=d.rule, explanation=d.explanation,
    )  # fmt: skip
