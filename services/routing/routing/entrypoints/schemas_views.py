"""What staff read: a unit's inbox, the triage queue, one complaint with its explanation."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field


class InboxRow(BaseModel):
    complaint_id: UUID
    tracking_code: str
    category: str
    priority: str
    state: str
    unit_id: str
    cycle: int
    officer_id: str | None
    version: int
    submitted_at: datetime
    summary: str
    started_at: datetime | None
    ack_due: datetime | None
    resolve_due: datetime | None
    ack_done_at: datetime | None
    resolve_done_at: datetime | None
    paused: bool
    provisional: bool
    next_deadline: str | None = Field(description="ack or resolve: the deadline that runs now")
    next_due: datetime | None
    time_left_s: float | None = Field(description="seconds to the next deadline; negative when overdue")
    overdue: bool
    escalated_to_you: bool
    escalation_level: int | None


class InboxPage(BaseModel):
    unit_id: str
    now: datetime
    total: int
    limit: int
    offset: int
    items: list[InboxRow]


class TriageRow(BaseModel):
    complaint_id: UUID
    tracking_code: str
    category: str
    priority: str
    submitted_at: datetime
    summary: str
    location: dict[str, Any]
    version: int


class TriagePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[TriageRow]


class AssignmentView(BaseModel):
    assignment_id: UUID
    unit_id: str
    unit_name: str
    reason: str
    rule: str
    explanation: str
    candidates: list[dict[str, Any]]
    routed_at: datetime
    routed_by: str | None
    ended_at: datetime | None
    end_reason: str | None


class HistoryView(BaseModel):
    at: datetime
    action: str
    actor: str | None
    assignment_id: UUID | None
    detail: dict[str, Any]


class CycleView(BaseModel):
    assignment_id: UUID
    cycle: int
    unit_id: str
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


class CaseView(BaseModel):
    complaint_id: UUID
    tracking_code: str
    category: str
    category_name: str
    priority: str
    channel: str
    description: str
    location: dict[str, Any]
    subject: dict[str, Any] | None
    submitted_at: datetime
    state: str
    version: int
    unit_id: str
    unit_name: str
    cycle: int
    officer_id: str | None
    answer: str | None
    explanation: str | None = Field(description="why the complaint is where it is")
    assignments: list[AssignmentView]
    cycles: list[CycleView]
    escalations: list[dict[str, Any]]
    history: list[HistoryView]
