"""Hot spots the citizen's complaints belong to, as routing announced them (for the status
view). Only what a citizen may see of a hot spot is kept: its size, owner unit, deadline
and outcome; never the other complaints' content."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, Text, text
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlmodel import Field, SQLModel

TZ = DateTime(timezone=True)


class IntakeHotspot(SQLModel, table=True):
    __tablename__ = "intake_hotspot"

    hotspot_id: UUID = Field(sa_column=Column(PgUUID(as_uuid=True), primary_key=True))
    complaint_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default=text("0"))
    )
    detected_at: datetime | None = Field(default=None, sa_column=Column(TZ))
    adopted_at: datetime | None = Field(default=None, sa_column=Column(TZ))
    owner_unit_name: str | None = Field(default=None, sa_column=Column(Text))
    deadline: datetime | None = Field(default=None, sa_column=Column(TZ))
    solved_at: datetime | None = Field(default=None, sa_column=Column(TZ))
    solved_summary: str | None = Field(default=None, sa_column=Column(Text))
    updated_at: datetime = Field(sa_column=Column(TZ, nullable=False))


class IntakeHotspotMember(SQLModel, table=True):
    """A complaint intake holds that belongs to a hot spot (detected with it, or linked later)."""

    __tablename__ = "intake_hotspot_member"
    __table_args__ = (Index("ix_intake_hotspot_member_hotspot", "hotspot_id"),)

    complaint_id: UUID = Field(
        sa_column=Column(PgUUID(as_uuid=True), ForeignKey("intake_complaints.id"), primary_key=True)
    )
    hotspot_id: UUID = Field(
        sa_column=Column(PgUUID(as_uuid=True), ForeignKey("intake_hotspot.hotspot_id"), primary_key=True)
    )
    joined_at: datetime = Field(sa_column=Column(TZ, nullable=False))
