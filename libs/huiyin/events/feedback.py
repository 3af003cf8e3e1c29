"""Events the feedback service publishes on the `feedback` topic."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal
from uuid import UUID

from huiyin.events import topics
from huiyin.events.envelope import EventData

Satisfaction = Literal["satisfied", "basically_satisfied", "dissatisfied"]


class FeedbackEvent(EventData):
    topic: ClassVar[str] = topics.FEEDBACK
    complaint_id: UUID
    unit_id: str
    cycle: int
    # The resolution's assignment: (assignment_id, cycle) names one resolution even when a
    # complaint comes back to the same unit in a later assignment.
    assignment_id: UUID | None = None


class FeedbackRequested(FeedbackEvent):
    event_type: ClassVar[str] = "huiyin.feedback.requested.v1"
    requested_at: datetime
    closes_at: datetime


class VerdictGiven(FeedbackEvent):
    """The citizen's verdict. Routing reopens on `reopen_requested`, else closes."""

    event_type: ClassVar[str] = "huiyin.feedback.verdict_given.v1"
    resolved: bool
    satisfaction: Satisfaction
    comment: str | None = None  # personal-data patterns masked
    at: datetime
    reopen_requested: bool
    review_flagged: bool


class FeedbackExpired(FeedbackEvent):
    """No verdict within the window: closed with 'no feedback', counted in no rate."""

    event_type: ClassVar[str] = "huiyin.feedback.expired.v1"
    at: datetime


class PublicFiguresPublished(EventData):
    """A month's public figures were frozen (version 1, at month close) or corrected
    (version 2+, with a reason). Through the audit consumer, the snapshot's SHA-256 enters
    the hash chain. It concerns no complaint: keyed by month ("figures-YYYY-MM")."""

    topic: ClassVar[str] = topics.FEEDBACK
    event_type: ClassVar[str] = "huiyin.feedback.public_figures_published.v1"
    month: str  # YYYY-MM
    version: int
    sha256: str
    reason: str | None = None
    published_at: datetime
    published_by: str  # "system" or the staff user id of a correction

    def key(self) -> str:
        return f"figures-{self.month}"
