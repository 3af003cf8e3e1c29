"""Routing's tables (SQLModel). Names are prefixed: all services share one metadata in tests.

The SLA tables (sla_cycles, sla_timers, sla_escalations, ...) belong to routing.sla.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Sequence,
    Table,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

UNIT_REVISION = Sequence("routing_units_revision_seq")


def _ts(nullable: bool = True, **kw: Any) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable, **kw))


class UnitRow(SQLModel, table=True):
    __tablename__ = "routing_units"

    id: str = Field(sa_column=Column(Text, primary_key=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    name_en: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    parent_id: str | None = Field(default=None, sa_column=Column(Text, ForeignKey("routing_units.id")))
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    jurisdiction: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    contact: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    calendar: str = Field(default="workdays", sa_column=Column(Text, nullable=False))
    retired_at: datetime | None = _ts()
    # Bumped from one sequence on every write: a process rebuilds its directory when the
    # highest revision it sees has changed (works across replicas).
    revision: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, server_default=UNIT_REVISION.next_value(), nullable=False, index=True),
    )
    created_at: datetime | None = _ts(False, server_default=func.now())
    updated_at: datetime | None = _ts(False, server_default=func.now())


class StaffUserRow(SQLModel, table=True):
    __tablename__ = "staff_users"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, sa_column=Column(Uuid, primary_key=True))
    username: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    display_name: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    badge_no: str | None = Field(default=None, sa_column=Column(Text, unique=True))  # 警号
    password_hash: str = Field(sa_column=Column(Text, nullable=False))
    role: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: str | None = Field(default=None, sa_column=Column(Text, ForeignKey("routing_units.id")))
    active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, server_default="true"))
    created_at: datetime | None = _ts(False, server_default=func.now())
    updated_at: datetime | None = _ts(False, server_default=func.now())


class CaseRow(SQLModel, table=True):
    """A complaint's current place and state at routing (one row per complaint)."""

    __tablename__ = "routing_cases"
    __table_args__ = (Index("ix_routing_cases_unit_state", "unit_id", "state"),)

    complaint_id: uuid.UUID = Field(sa_column=Column(Uuid, primary_key=True))
    tracking_code: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(sa_column=Column(Text, nullable=False))
    priority: str = Field(sa_column=Column(Text, nullable=False))
    description: str = Field(sa_column=Column(Text, nullable=False))  # PII already masked by intake
    location: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    subject: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    channel: str = Field(sa_column=Column(Text, nullable=False))
    submitted_at: datetime | None = _ts(False)
    state: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: str = Field(sa_column=Column(Text, nullable=False))
    assignment_id: uuid.UUID | None = Field(default=None, sa_column=Column(Uuid))
    cycle: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    returns: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    officer_id: str | None = Field(default=None, sa_column=Column(Text))
    answer: str | None = Field(default=None, sa_column=Column(Text))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    updated_at: datetime | None = _ts(False)


class AssignmentRow(SQLModel, table=True):
    """One routing of a complaint to a unit, with the rule that chose it."""

    __tablename__ = "routing_assignments"

    id: uuid.UUID = Field(sa_column=Column(Uuid, primary_key=True))
    complaint_id: uuid.UUID = Field(sa_column=Column(Uuid, nullable=False, index=True))
    unit_id: str = Field(sa_column=Column(Text, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))  # initial, return, transfer, manual
    rule: str = Field(sa_column=Column(Text, nullable=False))
    explanation: str = Field(sa_column=Column(Text, nullable=False))
    candidates: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    routed_at: datetime | None = _ts(False)
    routed_by: str | None = Field(default=None, sa_column=Column(Text))
    ended_at: datetime | None = _ts()
    end_reason: str | None = Field(default=None, sa_column=Column(Text))  # returned, transferred, ...


class HistoryRow(SQLModel, table=True):
    """The complaint's timeline at routing: every action and event, in order."""

    __tablename__ = "routing_history"
    __table_args__ = (Index("ix_routing_history_complaint", "complaint_id", "id"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    complaint_id: uuid.UUID = Field(sa_column=Column(Uuid, nullable=False))
    assignment_id: uuid.UUID | None = Field(default=None, sa_column=Column(Uuid))
    at: datetime | None = _ts(False)
    action: str = Field(sa_column=Column(Text, nullable=False))
    actor: str | None = Field(default=None, sa_column=Column(Text))
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))


# Core tables, for executemany inserts/updates and joins (SQLModel's stubs do not type __table__).
UNITS: Table = UnitRow.__table__  # type: ignore[attr-defined]
CASES: Table = CaseRow.__table__  # type: ignore[attr-defined]
ASSIGNMENTS: Table = AssignmentRow.__table__  # type: ignore[attr-defined]
HISTORY: Table = HistoryRow.__table__  # type: ignore[attr-defined]
