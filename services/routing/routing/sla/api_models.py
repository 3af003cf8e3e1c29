"""Request and response bodies of the SLA API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from routing.sla.policy import CalendarKind


class PolicyOut(BaseModel):
    category: str
    priority: str
    ack_within_s: float
    resolve_within_s: float
    warn_at: float
    calendar: CalendarKind
    escalate_after: list[float]
    updated_at: datetime | None
    updated_by: str


class CalendarYearIn(BaseModel):
    holidays: list[str] = Field(max_length=400, description="ISO dates or ranges 2027-10-01..2027-10-07")
    workdays: list[str] = Field(default_factory=list, max_length=100, description="make-up workdays (调休)")


class CalendarYearOut(BaseModel):
    year: int
    source: Literal["loaded", "library", "none"]
    holidays: list[date]
    workdays: list[date]
    loaded_at: datetime | None = None
    loaded_by: str | None = None
    recomputed: int | None = None  # cycles whose deadlines this load changed


class CalendarOverview(BaseModel):
    library_years: tuple[int, int]
    loaded: list[CalendarYearOut]
    years_without_schedule: list[int]
    provisional_open: int | None


class EscalateIn(BaseModel):
    reason: str = Field(min_length=3, max_length=500)


class EscalationOut(BaseModel):
    complaint_id: UUID
    assignment_id: UUID
    cycle: int
    unit_id: str  # the unit the complaint is with
    watcher_unit_id: str  # the unit it was escalated to
    kind: str
    level: int
    due: datetime
    at: datetime
    forced_by: str | None = None
    reason: str | None = None


class CycleOut(BaseModel):
    assignment_id: UUID
    cycle: int
    unit_id: str
    category: str
    priority: str
    calendar: str
    started_at: datetime
    ack_due: datetime
    resolve_due: datetime
    ack_done_at: datetime | None
    resolve_done_at: datetime | None
    paused_at: datetime | None
    paused_total_s: float
    provisional: bool
    cancelled_at: datetime | None
    escalation_units: list[str]
    policy: dict[str, Any]


class ComplaintSlaOut(BaseModel):
    complaint_id: UUID
    cycles: list[CycleOut]
    escalations: list[EscalationOut]
