"""The hot spot tables (migrations 0004_hotspots, 0005_hotspot_index): what detection remembers of each complaint
(a sighting), the LSH band keys that find similar ones, the hot spots (groups), their
progress notes and their deadline timers."""

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
    Index,
    Integer,
    LargeBinary,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlmodel import Field, SQLModel

STATUSES = ("forming", "detected", "adopted", "solved")


def _ts(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


def _text(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(Text, nullable=nullable))


class HotspotSightingRow(SQLModel, table=True):
    """One located complaint as detection saw it (no personal data: a citizen pseudonym)."""

    __tablename__ = "hotspot_sightings"
    __table_args__ = (Index("ix_hotspot_sightings_group", "group_id", "at"),)

    complaint_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    tracking_code: str | None = _text()
    category: str = _text(False)
    lat: float = Field(sa_column=Column(Float, nullable=False))
    lon: float = Field(sa_column=Column(Float, nullable=False))
    at: datetime = _ts(False)
    citizen_ref: str | None = _text()
    unit_id: str | None = _text()
    district_id: str | None = _text()
    group_id: uuid.UUID | None = Field(default=None, sa_column=Column(UUID(as_uuid=True), nullable=True))
    joined_at: datetime | None = _ts()
    terms: list[str] = Field(sa_column=Column(ARRAY(Text), nullable=False))
    # The 128 MinHash values packed, 4 bytes each (similarity.PACKED_SIZE; migration 0008).
    hashvalues: bytes = Field(
        sa_column=Column(LargeBinary, CheckConstraint("octet_length(hashvalues) = 512"), nullable=False)
    )


class HotspotLshKeyRow(SQLModel, table=True):
    """LSH keys of recent sightings, placed in a category and a grid cell (lsh_keys; migrations
    0005, 0006): the candidate look-up is an index range scan on (key, at), newest first, up
    to POSTING_LIMIT; keys older than the window are pruned (a BRIN index on `at`: rows
    arrive in about time order, so it stays tiny)."""

    __tablename__ = "hotspot_lsh_keys"
    __table_args__ = (Index("ix_hotspot_lsh_keys_at", "at", postgresql_using="brin"),)

    key: int = Field(sa_column=Column(BigInteger, primary_key=True))
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), primary_key=True))
    complaint_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))


class HotspotRow(SQLModel, table=True):
    __tablename__ = "hotspot_groups"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES}", name="ck_hotspot_groups_status"),
        Index("ix_hotspot_groups_status", "status", "last_at"),
        Index("ix_hotspot_groups_unit", "unit_id"),
        Index("ix_hotspot_groups_owner", "owner_unit_id"),
    )

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    category: str = _text(False)
    unit_id: str | None = _text()
    district_id: str | None = _text()
    status: str = Field(default="forming", sa_column=Column(Text, nullable=False))
    complaint_count: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    citizen_count: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    keywords: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(Text), nullable=False))
    first_at: datetime = _ts(False)
    last_at: datetime = _ts(False)
    detected_at: datetime | None = _ts()
    owner_unit_id: str | None = _text()
    deadline: datetime | None = _ts()
    adopted_by: str | None = _text()
    adopted_at: datetime | None = _ts()
    adopt_note: str | None = _text()
    overdue_at: datetime | None = _ts()
    solved_at: datetime | None = _ts()
    solved_by: str | None = _text()
    summary: str | None = _text()
    on_time: bool | None = Field(default=None, sa_column=Column(Boolean, nullable=True))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))


class HotspotNoteRow(SQLModel, table=True):
    __tablename__ = "hotspot_notes"
    __table_args__ = (Index("ix_hotspot_notes_hotspot", "hotspot_id", "id"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    hotspot_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))
    unit_id: str | None = _text()
    note: str = _text(False)
    by: str = _text(False)
    at: datetime = _ts(False)


class HotspotTimerRow(SQLModel, table=True):
    """A hot spot's deadline as a durable timer, fired by the SLA scheduler's loop."""

    __tablename__ = "hotspot_timers"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'fired', 'cancelled')", name="ck_hotspot_timers_state"),
        Index("ix_hotspot_timers_due", "due_at", "id", postgresql_where=text("state = 'pending'")),
        Index("ix_hotspot_timers_hotspot", "hotspot_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    hotspot_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))
    kind: str = _text(False)
    due_at: datetime = _ts(False)
    state: str = Field(default="pending", sa_column=Column(Text, nullable=False))
    fired_at: datetime | None = _ts()
