"""The SLA engine's tables (migration 0003_sla). Routing may read `sla_cycles` in joins."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlmodel import Field, SQLModel


def cols(model: type[SQLModel]) -> Any:
    """A table's columns for Core expressions (SQLModel types the model's attributes as
    plain values, which type checkers reject inside SQL expressions)."""
    return model.__table__.c  # type: ignore[attr-defined]


def _ts(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


class SlaPolicyRow(SQLModel, table=True):
    __tablename__ = "sla_policies"
    __table_args__ = (CheckConstraint("calendar IN ('24x7', 'workdays')", name="ck_sla_policies_calendar"),)

    category: str = Field(sa_column=Column(Text, primary_key=True))
    priority: str = Field(sa_column=Column(Text, primary_key=True))
    ack_within_s: float = Field(sa_column=Column(Float, nullable=False))
    resolve_within_s: float = Field(sa_column=Column(Float, nullable=False))
    warn_at: float = Field(sa_column=Column(Float, nullable=False))
    calendar: str = Field(sa_column=Column(Text, nullable=False))
    escalate_after: list[float] = Field(sa_column=Column(JSONB, nullable=False))
    updated_at: datetime = _ts()
    updated_by: str = Field(sa_column=Column(Text, nullable=False))


class SlaCalendarYearRow(SQLModel, table=True):
    """An official year schedule loaded by an administrator; wins over the library."""

    __tablename__ = "sla_calendar_years"

    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    holidays: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    workdays: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))
    loaded_at: datetime = _ts()
    loaded_by: str = Field(sa_column=Column(Text, nullable=False))


class SlaCycleRow(SQLModel, table=True):
    __tablename__ = "sla_cycles"
    __table_args__ = (
        Index("ix_sla_cycles_complaint", "complaint_id"),
        Index(
            "ix_sla_cycles_provisional_open",
            "assignment_id",
            postgresql_where=text("provisional AND cancelled_at IS NULL"),
        ),
    )

    assignment_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    cycle: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    complaint_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))
    unit_id: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(sa_column=Column(Text, nullable=False))
    priority: str = Field(sa_column=Column(Text, nullable=False))
    policy: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    calendar: str = Field(sa_column=Column(Text, nullable=False))
    started_at: datetime = _ts()
    ack_due: datetime = _ts()
    resolve_due: datetime = _ts()
    ack_done_at: datetime | None = _ts(nullable=True)
    resolve_done_at: datetime | None = _ts(nullable=True)
    paused_at: datetime | None = _ts(nullable=True)
    paused_total_s: float = Field(default=0.0, sa_column=Column(Float, nullable=False, server_default="0"))
    # Working seconds of the pauses that moved the resolve deadline (see service.resume).
    paused_working_s: float = Field(default=0.0, sa_column=Column(Float, nullable=False, server_default="0"))
    provisional: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default="false")
    )
    cancelled_at: datetime | None = _ts(nullable=True)
    escalation_units: list[str] = Field(sa_column=Column(JSONB, nullable=False))


class SlaTimerRow(SQLModel, table=True):
    __tablename__ = "sla_timers"
    __table_args__ = (
        ForeignKeyConstraint(
            ["assignment_id", "cycle"], ["sla_cycles.assignment_id", "sla_cycles.cycle"], ondelete="CASCADE"
        ),
        CheckConstraint("state IN ('pending', 'fired', 'cancelled')", name="ck_sla_timers_state"),
        Index("ix_sla_timers_due", "due_at", "id", postgresql_where=text("state = 'pending'")),
        Index("ix_sla_timers_cycle", "assignment_id", "cycle"),
        # One pending step per deadline (migration 0007): the next one is armed when it fires.
        Index(
            "uq_sla_timers_pending_step",
            "assignment_id",
            "cycle",
            text("split_part(kind, '_', 1)"),
            unique=True,
            postgresql_where=text("state = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    assignment_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))
    cycle: int = Field(sa_column=Column(Integer, nullable=False))
    complaint_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))
    unit_id: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    due_at: datetime = _ts()
    state: str = Field(default="pending", sa_column=Column(Text, nullable=False, server_default="pending"))
    fired_at: datetime | None = _ts(nullable=True)


class SlaEscalationRow(SQLModel, table=True):
    """Each escalation level once per (assignment, cycle, deadline): the unique key is what
    keeps a replayed or raced firing from escalating twice."""

    __tablename__ = "sla_escalations"
    __table_args__ = (
        UniqueConstraint("assignment_id", "cycle", "kind", "level", name="uq_sla_escalations_level"),
        Index("ix_sla_escalations_watcher", "watcher_unit_id", "at"),
        Index("ix_sla_escalations_complaint", "complaint_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    complaint_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))
    assignment_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))
    cycle: int = Field(sa_column=Column(Integer, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    level: int = Field(sa_column=Column(Integer, nullable=False))
    watcher_unit_id: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = _ts()
    forced_by: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
