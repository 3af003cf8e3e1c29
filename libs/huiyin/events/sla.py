"""Events the SLA scheduler publishes on the `sla` topic."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal
from uuid import UUID

from huiyin.events import topics
from huiyin.events.envelope import EventData

DeadlineKind = Literal["ack", "resolve"]


class SlaEvent(EventData):
    topic: ClassVar[str] = topics.SLA
    complaint_id: UUID
    assignment_id: UUID
    unit_id: str
    cycle: int
    kind: DeadlineKind
    due: datetime
    at: datetime


class SlaWarning(SlaEvent):
    event_type: ClassVar[str] = "huiyin.sla.warning.v1"


class SlaBreached(SlaEvent):
    event_type: ClassVar[str] = "huiyin.sla.breached.v1"


class ComplaintEscalated(SlaEvent):
    """Adds a watcher unit; the complaint's state does not change."""

    event_type: ClassVar[str] = "huiyin.complaint.escalated.v1"
    level: int
    watcher_unit_id: str
    forced_by: str | None = None
    reason: str | None = None  # why a supervisor forced it (None for a breach)


class DeadlinesRecomputed(EventData):
    """A provisional deadline (year without a loaded calendar) was computed again."""

    event_type: ClassVar[str] = "huiyin.sla.deadlines_recomputed.v1"
    topic: ClassVar[str] = topics.SLA
    complaint_id: UUID
    assignment_id: UUID
    unit_id: str
    cycle: int
    ack_due: datetime
    resolve_due: datetime
    provisional: bool
    at: datetime
