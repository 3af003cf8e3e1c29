"""Request and response bodies of the citizen and staff JSON API (the filing body is
`intake.domain.filing.ComplaintCreate`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from intake.domain.filing import Line, Paragraphs


class CategoryOut(BaseModel):
    code: str
    name: dict[str, str]  # {"zh-CN": ..., "en": ...}


class FiledComplaint(BaseModel):
    id: UUID
    tracking_code: str
    access_token: str  # shown once; keep it to track the complaint
    state: str
    submitted_at: datetime
    possible_duplicate: bool


class UnitOut(BaseModel):
    id: str
    name: str | None


class DeadlinesOut(BaseModel):
    acknowledge_by: datetime | None
    resolve_by: datetime | None


class InformationRequestOut(BaseModel):
    question: str
    asked_at: datetime | None


class FeedbackOut(BaseModel):
    requested: bool
    until: datetime | None


class TimelineItem(BaseModel):
    at: datetime
    kind: str
    detail: dict[str, Any]


class LocationOut(BaseModel):
    lat: float | None
    lon: float | None
    address: str | None


class HotspotOut(BaseModel):
    """The adopted hot spot the complaint is in: only what the citizen may know of it."""

    handled_as_whole: Literal[True] = True
    complaints_in_it: int
    owner_unit_name: str | None
    deadline: datetime | None
    status: Literal["adopted", "solved"]
    solved_at: datetime | None = None
    solved_summary: str | None = None


class ComplaintView(BaseModel):
    tracking_code: str
    category: CategoryOut
    priority: str
    description: str
    location: LocationOut
    anonymous: bool
    state: str
    state_label: dict[str, str]
    submitted_at: datetime
    updated_at: datetime
    unit: UnitOut | None
    deadlines: DeadlinesOut
    answer: str | None
    resolved_at: datetime | None
    information_request: InformationRequestOut | None
    feedback: FeedbackOut
    # Present once supervision adopted a hot spot this complaint is in (docs/intake.md).
    hotspot: HotspotOut | None = None
    timeline: list[TimelineItem]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WithdrawIn(_Strict):
    reason: Line(500) | None = None  # type: ignore[valid-type]


class InformationIn(_Strict):
    text: Paragraphs(1, 5000)  # type: ignore[valid-type]


class UnmaskIn(_Strict):
    reason: Line(500)  # type: ignore[valid-type]


class ContactOut(BaseModel):
    complaint_id: UUID
    anonymous: bool
    masked: bool
    name: str | None
    phone: str | None
    email: str | None


class ContactAccessOut(BaseModel):
    user_id: str
    username: str
    role: str
    unit_id: str | None
    reason: str
    at: datetime
