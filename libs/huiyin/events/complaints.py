"""Events intake publishes on the `complaints` topic. No personal data: ids and content only."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from huiyin.events import topics
from huiyin.events.envelope import EventData

Priority = Literal["normal", "urgent"]


class Location(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    lat: float | None = None
    lon: float | None = None
    address: str | None = None


class Subject(BaseModel):
    """Who the complaint is about (a misconduct complaint names a unit or an officer)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    unit_id: str | None = None
    officer_id: str | None = None
    text: str | None = None


class ComplaintSubmitted(EventData):
    event_type: ClassVar[str] = "huiyin.complaint.submitted.v1"
    topic: ClassVar[str] = topics.COMPLAINTS

    complaint_id: UUID
    tracking_code: str
    # SHA-256 of the citizen's access token (128-bit random, so the hash cannot be reversed):
    # lets feedback check the citizen's verdict without asking intake. Never the token itself.
    access_token_sha256: str
    category: str
    priority: Priority
    description: str  # personal-data patterns masked; the original stays in intake
    location: Location
    subject: Subject | None = None
    channel: str
    submitted_at: datetime
    possible_duplicate_of: UUID | None = None
    anonymous: bool
    # A pseudonym for the citizen (keyed HMAC of the normalized contact; None when no contact
    # was given): tells "5 complaints from 3 citizens" apart without naming anyone.
    citizen_ref: str | None = None


class ComplaintWithdrawn(EventData):
    """v2 adds `state_before` (where the complaint stood when the citizen withdrew it: read
    models tell a withdrawal before acknowledgement from one after). v1 events are upcast."""

    event_type: ClassVar[str] = "huiyin.complaint.withdrawn.v2"
    topic: ClassVar[str] = topics.COMPLAINTS

    complaint_id: UUID
    withdrawn_at: datetime
    state_before: str
    reason: str | None = None


def upcast_withdrawn_v1(data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """v1 -> v2: v1 did not record the state before the withdrawal."""
    return ComplaintWithdrawn.event_type, {**data, "state_before": "unknown"}


class InformationAdded(EventData):
    """The citizen answered a station's request for information (resumes the clock)."""

    event_type: ClassVar[str] = "huiyin.complaint.information_added.v1"
    topic: ClassVar[str] = topics.COMPLAINTS

    complaint_id: UUID
    text: str  # personal-data patterns masked
    added_at: datetime


class ContactUnmasked(EventData):
    """A staff member read the citizen's contact data in clear (accountability, not content).

    Carries who, when and why, never the contact itself: the audit trail (feedback) records
    it on the complaint's timeline; intake's own access log keeps the same facts.
    """

    event_type: ClassVar[str] = "huiyin.complaint.contact_unmasked.v1"
    topic: ClassVar[str] = topics.COMPLAINTS

    complaint_id: UUID
    by: str  # the staff user's id
    username: str
    role: str
    unit_id: str | None
    reason: str  # personal-data patterns masked
    at: datetime
