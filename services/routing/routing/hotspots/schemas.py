"""Request and response bodies of the hot spot API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from routing.entrypoints.text import LongText, ShortText

Status = Literal["forming", "detected", "adopted", "solved"]


class HotspotActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(None, ge=1, description="the version you read: 409 if it moved on meanwhile")


class AdoptIn(HotspotActionIn):
    owner_unit_id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description="the unit that solves it"
    )
    deadline: AwareDatetime = Field(description="when it must be solved (with a time zone; in the future)")
    note: ShortText | None = None


class HotspotNoteIn(HotspotActionIn):
    note: LongText


class SolveIn(HotspotActionIn):
    summary: LongText = Field(description="what was done about the matter")


class SlaState(BaseModel):
    state: Literal["none", "open", "overdue", "met", "missed"]
    deadline: datetime | None
    time_left_s: float | None
    overdue_at: datetime | None


class HotspotSummary(BaseModel):
    id: UUID
    category: str
    category_name: str
    status: Status
    unit_id: str | None
    unit_name: str | None
    district_id: str | None
    complaint_count: int
    citizen_count: int
    keywords: list[str]
    first_at: datetime
    last_at: datetime
    detected_at: datetime | None
    owner_unit_id: str | None
    owner_unit_name: str | None
    sla: SlaState
    version: int


class HotspotPage(BaseModel):
    total: int
    items: list[HotspotSummary]


class HotspotComplaint(BaseModel):
    complaint_id: UUID
    tracking_code: str | None
    category: str
    submitted_at: datetime
    lat: float
    lon: float
    unit_id: str | None
    unit_name: str | None
    joined_at: datetime | None


class GrowthPoint(BaseModel):
    date: date
    count: int
    total: int


class Adoption(BaseModel):
    by: str | None
    at: datetime
    note: str | None
    deadline: datetime | None


class ProgressNote(BaseModel):
    note: str
    by: str
    at: datetime
    unit_id: str | None


class Solution(BaseModel):
    by: str | None
    at: datetime
    summary: str | None
    on_time: bool | None


class HotspotView(HotspotSummary):
    complaints: list[HotspotComplaint]
    growth: list[GrowthPoint]
    adoption: Adoption | None
    notes: list[ProgressNote]
    solution: Solution | None
