"""What each event of routing, the SLA scheduler and feedback does to the status view.

Pure: an event in, a `ViewChange` out (or None when it changes nothing the citizen sees).
The public timeline gets no staff names and no internal notes: a return's reason, a
progress note and SLA warnings stay out; the station's question and answer are for the
citizen and go in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from huiyin.events import EventData
from huiyin.events import assignments as a
from huiyin.events import feedback as f
from huiyin.events import sla as s
from intake.domain import status as st


@dataclass(frozen=True)
class ViewChange:
    complaint_id: UUID
    at: datetime
    state: str | None = None  # None: the state stays
    fields: dict[str, Any] = field(default_factory=dict)
    timeline: tuple[str, dict[str, Any]] | None = None  # (kind, public detail)
    only_for_assignment: UUID | None = None  # apply only while this assignment is current
    only_from: frozenset[str] | None = None  # apply only from these states


def _routed(e: a.ComplaintRouted) -> ViewChange:
    state = st.REROUTED if e.reason in ("return", "transfer") else st.ROUTED
    unit = {"unit_id": e.unit_id, "unit_name": e.unit_name, "assignment_id": e.assignment_id}
    return ViewChange(
        e.complaint_id,
        e.routed_at,
        state,
        {**unit, "ack_due": e.ack_due, "resolve_due": e.resolve_due},
        ("routed", {"unit_name": e.unit_name}),
    )


def _reopened(e: a.ComplaintReopened) -> ViewChange:
    fields = {
        "unit_id": e.unit_id,
        "unit_name": e.unit_name,
        "assignment_id": e.assignment_id,
        "ack_due": e.ack_due,
        "resolve_due": e.resolve_due,
        "answer": None,
        "resolved_at": None,
    }
    return ViewChange(
        e.complaint_id, e.reopened_at, st.REOPENED, fields, ("reopened", {"unit_name": e.unit_name})
    )


def _unroutable(e: a.ComplaintUnroutable) -> ViewChange:
    fields = {
        "unit_id": e.unit_id,
        "unit_name": None,
        "assignment_id": None,
        "ack_due": None,
        "resolve_due": None,
    }
    return ViewChange(e.complaint_id, e.at, st.UNROUTABLE, fields)


def _handed_back(e: a.ComplaintReturned | a.ComplaintTransferred) -> ViewChange:
    # The unit no longer handles it (nor sees the citizen's contact) until it is routed again.
    fields = {"unit_id": None, "unit_name": None, "assignment_id": None, "ack_due": None, "resolve_due": None}
    return ViewChange(e.complaint_id, e.at, st.RETURNED, fields)


def _acknowledged(e: a.ComplaintAcknowledged) -> ViewChange:
    return ViewChange(e.complaint_id, e.at, st.ACKNOWLEDGED, timeline=("acknowledged", {}))


def _working(e: a.OfficerAssigned | a.ProgressNoted) -> ViewChange:
    # A note while the station waits for the citizen must not take the question away.
    return ViewChange(e.complaint_id, e.at, st.IN_PROGRESS, only_from=frozenset({st.ACKNOWLEDGED}))


def _information_requested(e: a.InformationRequested) -> ViewChange:
    fields = {"question": e.question, "question_at": e.at}
    return ViewChange(
        e.complaint_id, e.at, st.AWAITING_CITIZEN, fields, ("information_requested", {"question": e.question})
    )


def _resumed(e: a.ComplaintResumed) -> ViewChange:
    fields = {"question": None, "question_at": None, "resolve_due": e.resolve_due}
    return ViewChange(e.complaint_id, e.at, st.IN_PROGRESS, fields)


def _resolved(e: a.ComplaintResolved) -> ViewChange:
    fields = {"answer": e.answer, "resolved_at": e.at, "question": None, "question_at": None}
    return ViewChange(e.complaint_id, e.at, st.RESOLVED, fields, ("resolved", {"answer": e.answer}))


def _closed(e: a.ComplaintClosed) -> ViewChange:
    return ViewChange(
        e.complaint_id, e.at, st.CLOSED, {"feedback_requested": False}, ("closed", {"reason": e.reason})
    )


def _deadlines(e: s.DeadlinesRecomputed) -> ViewChange:
    fields = {"ack_due": e.ack_due, "resolve_due": e.resolve_due}
    return ViewChange(e.complaint_id, e.at, fields=fields, only_for_assignment=e.assignment_id)


def _feedback_requested(e: f.FeedbackRequested) -> ViewChange:
    fields = {"feedback_requested": True, "feedback_closes_at": e.closes_at}
    return ViewChange(
        e.complaint_id, e.requested_at, fields=fields, timeline=("feedback_requested", {"until": e.closes_at})
    )


def _feedback_over(e: f.VerdictGiven | f.FeedbackExpired) -> ViewChange:
    return ViewChange(e.complaint_id, e.at, fields={"feedback_requested": False})


CHANGES: dict[type[EventData], Callable[[Any], ViewChange]] = {
    a.ComplaintRouted: _routed,
    a.ComplaintReopened: _reopened,
    a.ComplaintUnroutable: _unroutable,
    a.ComplaintReturned: _handed_back,
    a.ComplaintTransferred: _handed_back,
    a.ComplaintAcknowledged: _acknowledged,
    a.OfficerAssigned: _working,
    a.ProgressNoted: _working,
    a.InformationRequested: _information_requested,
    a.ComplaintResumed: _resumed,
    a.ComplaintResolved: _resolved,
    a.ComplaintClosed: _closed,
    s.DeadlinesRecomputed: _deadlines,
    f.FeedbackRequested: _feedback_requested,
    f.VerdictGiven: _feedback_over,
    f.FeedbackExpired: _feedback_over,
}


def change_for(data: EventData) -> ViewChange | None:
    fn = CHANGES.get(type(data))
    return fn(data) if fn else None
