"""Events routing publishes on the `assignments` topic: the complaint's life at a unit.

`assignment_id` names one routing of a complaint to a unit; `cycle` counts that
assignment's pairs of deadlines (a reopen starts cycle 2 for the same unit).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from huiyin.events import topics
from huiyin.events.envelope import EventData

RouteReason = Literal["initial", "return", "transfer", "manual", "reopen"]


class Candidate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    unit_id: str
    why: str


class AssignmentEvent(EventData):
    topic: ClassVar[str] = topics.ASSIGNMENTS
    complaint_id: UUID
    assignment_id: UUID
    unit_id: str


class UnitFacts(AssignmentEvent):
    """The unit's name and place, carried so read models never query routing's tables."""

    unit_name: str
    unit_kind: str
    district_id: str | None
    district_name: str | None


class ComplaintRouted(UnitFacts):
    event_type: ClassVar[str] = "huiyin.complaint.routed.v1"
    category: str
    priority: str
    reason: RouteReason
    rule: str
    explanation: str
    candidates: list[Candidate]
    routed_at: datetime
    cycle: int
    ack_due: datetime
    resolve_due: datetime
    calendar: str
    provisional: bool = False


class ComplaintReopened(UnitFacts):
    event_type: ClassVar[str] = "huiyin.complaint.reopened.v1"
    category: str
    cycle: int
    reopened_at: datetime
    ack_due: datetime
    resolve_due: datetime
    provisional: bool = False


class ComplaintUnroutable(EventData):
    event_type: ClassVar[str] = "huiyin.complaint.unroutable.v1"
    topic: ClassVar[str] = topics.ASSIGNMENTS
    complaint_id: UUID
    unit_id: str  # the dispatch desk whose triage queue holds it
    reason: str
    at: datetime


class DeadlineOutcome(AssignmentEvent):
    """An action that meets (or misses) a deadline, with the times it took."""

    cycle: int
    by: str
    at: datetime
    due: datetime
    met: bool
    wall_s: float
    working_s: float


class ComplaintAcknowledged(DeadlineOutcome):
    event_type: ClassVar[str] = "huiyin.complaint.acknowledged.v1"


class ComplaintResolved(DeadlineOutcome):
    event_type: ClassVar[str] = "huiyin.complaint.resolved.v1"
    answer: str


class OfficerAssigned(AssignmentEvent):
    event_type: ClassVar[str] = "huiyin.complaint.officer_assigned.v1"
    officer_id: str
    by: str
    at: datetime


class ProgressNoted(AssignmentEvent):
    event_type: ClassVar[str] = "huiyin.complaint.noted.v1"
    note: str
    by: str
    at: datetime


class InformationRequested(AssignmentEvent):
    event_type: ClassVar[str] = "huiyin.complaint.information_requested.v1"
    question: str
    by: str
    at: datetime


class ComplaintResumed(AssignmentEvent):
    """The citizen answered: the resolve clock runs again, its deadline moved by the pause."""

    event_type: ClassVar[str] = "huiyin.complaint.resumed.v1"
    cycle: int
    at: datetime
    paused_s: float
    resolve_due: datetime


class ComplaintReturned(AssignmentEvent):
    """退单: the unit hands the complaint back as not theirs; it is routed again."""

    event_type: ClassVar[str] = "huiyin.complaint.returned.v1"
    cycle: int
    reason: str
    by: str
    at: datetime
    ack_met: bool | None  # None: the ack deadline was already settled before the return


class ComplaintTransferred(AssignmentEvent):
    event_type: ClassVar[str] = "huiyin.complaint.transferred.v1"
    cycle: int
    to_unit_id: str
    reason: str
    by: str
    at: datetime
    ack_met: bool | None


class ComplaintClosed(EventData):
    event_type: ClassVar[str] = "huiyin.complaint.closed.v1"
    topic: ClassVar[str] = topics.ASSIGNMENTS
    complaint_id: UUID
    unit_id: str | None
    reason: Literal["verdict", "no_feedback", "withdrawn"]
    at: datetime
