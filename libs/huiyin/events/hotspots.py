"""Events about hot spots, published by routing on the `hotspots` topic.

A hot spot is many complaints of one category about the same matter near each other within a
window (docs/hotspots.md). Its events are keyed by the hot spot's id, so one hot spot's
history stays in order; each names the complaints it concerns by id. No personal data: the
citizens behind a hot spot are counted, never named.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from huiyin.events import topics
from huiyin.events.envelope import EventData


class HotspotEvent(EventData):
    topic: ClassVar[str] = topics.HOTSPOTS
    hotspot_id: UUID

    def key(self) -> str:
        return str(self.hotspot_id)


class HotspotDetected(HotspotEvent):
    """The group reached the threshold (defaults: 5 complaints from at least 3 citizens)."""

    event_type: ClassVar[str] = "huiyin.hotspot.detected.v1"
    category: str
    unit_id: str  # the unit responsible where the complaints are (most of them routed there)
    district_id: str | None = None
    complaint_ids: list[UUID]
    complaint_count: int
    citizen_count: int
    keywords: list[str]  # the terms the complaints share (from their masked text)
    first_at: datetime  # the earliest complaint's submission
    detected_at: datetime


class HotspotComplaintLinked(HotspotEvent):
    """A complaint joined a hot spot after it was detected."""

    event_type: ClassVar[str] = "huiyin.hotspot.complaint_linked.v1"
    complaint_id: UUID
    complaint_count: int  # the hot spot's size with this complaint
    adopted: bool  # whether the hot spot is already being handled as a whole
    linked_at: datetime


class HotspotAdopted(HotspotEvent):
    """Supervision adopted the hot spot as one problem to solve, with an owner and deadline."""

    event_type: ClassVar[str] = "huiyin.hotspot.adopted.v1"
    owner_unit_id: str
    owner_unit_name: str
    deadline: datetime
    adopted_by: str  # the staff member's username, like `by` on the case actions' events
    note: str | None = None
    complaint_ids: list[UUID]
    adopted_at: datetime


class HotspotProgressNoted(HotspotEvent):
    event_type: ClassVar[str] = "huiyin.hotspot.progress_noted.v1"
    owner_unit_id: str
    note: str
    by: str
    at: datetime


class HotspotOverdue(HotspotEvent):
    """The adopted hot spot's deadline passed unsolved (fired by the SLA engine, once)."""

    event_type: ClassVar[str] = "huiyin.hotspot.overdue.v1"
    owner_unit_id: str
    deadline: datetime
    at: datetime


class HotspotSolved(HotspotEvent):
    event_type: ClassVar[str] = "huiyin.hotspot.solved.v1"
    owner_unit_id: str
    deadline: datetime
    summary: str
    by: str
    on_time: bool
    at: datetime
