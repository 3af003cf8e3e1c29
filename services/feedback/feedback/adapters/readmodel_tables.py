"""The accountability read model: fact rows per assignment, obligation, verdict and
escalation, plus daily per-unit counters kept up to date from them.

Facts hold what the events said (raw columns) and what follows from it (derived columns:
category, outcome, the day an item is counted in). Every raw column is written so that
the order events arrive in does not matter, and derived columns are recomputed from the
raw ones: replaying the topics in any interleaving rebuilds the same rows.
Days are calendar days in Asia/Shanghai. Category '' means "not known yet".
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import ARRAY, DateTime, Index, Integer, text
from sqlmodel import Field, SQLModel

TZ = DateTime(timezone=True)


class RmUnit(SQLModel, table=True):
    __tablename__ = "fb_rm_unit"
    unit_id: str = Field(primary_key=True)
    name: str
    kind: str
    district_id: str | None = None
    district_name: str | None = None
    seen_at: datetime = Field(sa_type=TZ)  # time of the event these facts come from


class RmComplaint(SQLModel, table=True):
    __tablename__ = "fb_rm_complaint"
    complaint_id: UUID = Field(primary_key=True)
    category: str | None = None
    priority: str | None = None
    channel: str | None = None
    submitted_at: datetime | None = Field(default=None, sa_type=TZ)
    withdrawn_at: datetime | None = Field(default=None, sa_type=TZ)


class RmAssignment(SQLModel, table=True):
    __tablename__ = "fb_rm_assignment"
    __table_args__ = (
        Index("ix_fb_rm_assignment_unit_day", "unit_id", "start_day"),
        Index("ix_fb_rm_assignment_complaint", "complaint_id"),
    )
    assignment_id: UUID = Field(primary_key=True)
    complaint_id: UUID
    unit_id: str
    category: str = ""
    reason: str | None = None
    started_at: datetime | None = Field(default=None, sa_type=TZ)
    start_day: date | None = None
    ended_at: datetime | None = Field(default=None, sa_type=TZ)
    end_kind: str | None = None  # returned | transferred
    # waiting for the citizen's information (the resolve clock is paused) since, and until
    awaiting_since: datetime | None = Field(default=None, sa_type=TZ)
    resumed_at: datetime | None = Field(default=None, sa_type=TZ)


class RmObligation(SQLModel, table=True):
    """One deadline of one cycle: kind 'ack' or 'resolve'."""

    __tablename__ = "fb_rm_obligation"
    __table_args__ = (
        Index("ix_fb_rm_obligation_complaint", "complaint_id"),
        Index("ix_fb_rm_obligation_counted", "unit_id", "counted_day"),
        Index("ix_fb_rm_obligation_done", "unit_id", "kind", "done_day"),
        Index("ix_fb_rm_obligation_pending", "due", postgresql_where=text("pending")),
    )
    assignment_id: UUID = Field(primary_key=True)
    cycle: int = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    complaint_id: UUID
    unit_id: str
    # raw, from the events
    started_at: datetime | None = Field(default=None, sa_type=TZ)
    due: datetime | None = Field(default=None, sa_type=TZ)
    due_set_at: datetime | None = Field(default=None, sa_type=TZ)
    done_at: datetime | None = Field(default=None, sa_type=TZ)
    done_met: bool | None = None
    wall_s: float | None = None
    working_s: float | None = None
    responded_at: datetime | None = Field(default=None, sa_type=TZ)
    responded_met: bool | None = None
    ended_at: datetime | None = Field(default=None, sa_type=TZ)
    breached_at: datetime | None = Field(default=None, sa_type=TZ)
    reopened_at: datetime | None = Field(default=None, sa_type=TZ)
    # derived
    category: str = ""
    outcome: str = "open"  # open | met | missed | cancelled
    counted_at: datetime | None = Field(default=None, sa_type=TZ)
    counted_day: date | None = None
    done_day: date | None = None
    pending: bool = True


class RmVerdict(SQLModel, table=True):
    """One per resolution: requested, then a verdict or 'no feedback' (expired)."""

    __tablename__ = "fb_rm_verdict"
    __table_args__ = (
        Index("ix_fb_rm_verdict_unit_day", "unit_id", "day"),
        Index("ix_fb_rm_verdict_complaint", "complaint_id"),
    )
    assignment_id: UUID = Field(primary_key=True)
    cycle: int = Field(primary_key=True)
    complaint_id: UUID
    unit_id: str
    requested_at: datetime | None = Field(default=None, sa_type=TZ)
    closes_at: datetime | None = Field(default=None, sa_type=TZ)
    given_at: datetime | None = Field(default=None, sa_type=TZ)
    expired_at: datetime | None = Field(default=None, sa_type=TZ)
    resolved: bool | None = None
    satisfaction: str | None = None
    reopen_requested: bool | None = None
    review_flagged: bool | None = None
    # derived
    category: str = ""
    outcome: str = "requested"  # requested | verdict | expired
    day: date | None = None


class RmEscalation(SQLModel, table=True):
    __tablename__ = "fb_rm_escalation"
    __table_args__ = (
        Index("ix_fb_rm_escalation_unit_day", "unit_id", "day"),
        Index("ix_fb_rm_escalation_complaint", "complaint_id"),
    )
    assignment_id: UUID = Field(primary_key=True)
    cycle: int = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    level: int = Field(primary_key=True)
    complaint_id: UUID
    unit_id: str
    watcher_unit_id: str
    at: datetime = Field(sa_type=TZ)
    category: str = ""
    day: date | None = None


COUNTERS = (
    "assignments",
    "returns",
    "received",
    "acknowledged",
    "resolved",
    "reopened",
    "ack_counted",
    "ack_met",
    "resolve_counted",
    "resolve_met",
    "verdicts",
    "verdicts_resolved",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "no_feedback",
    "escalations",
    # adopted hot spots of the owner unit (adapters/readmodel_hotspots.py)
    "hotspots_adopted",
    "hotspot_counted",
    "hotspot_met",
)


class Counters(SQLModel):
    """The counters every rate is made of (see docs/metrics.md), per unit and category."""

    assignments: int = 0
    returns: int = 0
    received: int = 0
    acknowledged: int = 0
    resolved: int = 0
    reopened: int = 0
    ack_counted: int = 0
    ack_met: int = 0
    resolve_counted: int = 0
    resolve_met: int = 0
    verdicts: int = 0
    verdicts_resolved: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0
    no_feedback: int = 0
    escalations: int = 0
    hotspots_adopted: int = 0
    hotspot_counted: int = 0
    hotspot_met: int = 0


class RmDaily(Counters, table=True):
    """Per unit, category and day: the counters, recomputed from the facts."""

    __tablename__ = "fb_rm_daily"
    __table_args__ = (Index("ix_fb_rm_daily_day", "day", "unit_id"),)
    unit_id: str = Field(primary_key=True)
    category: str = Field(primary_key=True)
    day: date = Field(primary_key=True)


class RmMonthly(Counters, table=True):
    """Per unit, category and month: the sums of its days' rows (whole months read these)."""

    __tablename__ = "fb_rm_monthly"
    unit_id: str = Field(primary_key=True)
    category: str = Field(primary_key=True)
    month: date = Field(primary_key=True)  # its first day


class RmTimes(SQLModel, table=True):
    """Per unit, category ('*': all of them), month and kind: bucket counts of the wall and
    working seconds of the actions done in the month (domain/histogram.py; the medians and
    p90s of whole months read these instead of every action's row)."""

    __tablename__ = "fb_rm_times"
    unit_id: str = Field(primary_key=True)
    category: str = Field(primary_key=True)
    month: date = Field(primary_key=True)  # its first day
    kind: str = Field(primary_key=True)
    n: int
    wall: list[int] = Field(sa_type=ARRAY(Integer))
    working: list[int] = Field(sa_type=ARRAY(Integer))
    # the buckets that hold anything, 1-based inclusive (reads fetch only that slice)
    wall_lo: int | None = None
    wall_hi: int | None = None
    working_lo: int | None = None
    working_hi: int | None = None


READ_MODEL_TABLES = (
    "fb_rm_unit",
    "fb_rm_complaint",
    "fb_rm_assignment",
    "fb_rm_obligation",
    "fb_rm_verdict",
    "fb_rm_escalation",
    "fb_rm_hotspot",
    "fb_rm_daily",
    "fb_rm_monthly",
    "fb_rm_times",
)
