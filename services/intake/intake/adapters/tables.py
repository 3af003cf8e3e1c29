"""Intake's tables: complaints as filed, the citizen-facing status view and its timeline,
idempotency records and the log of staff reading a citizen's contact in clear.

Contact fields are AES-GCM ciphertext (`huiyin.pii.KeyRing`, the complaint id as
associated data, so a ciphertext copied onto another row does not decrypt).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlmodel import Field, SQLModel


def _ts(nullable: bool = True, **kw: Any) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable, **kw))


def _text(nullable: bool = True, **kw: Any) -> Any:
    return Field(default=None, sa_column=Column(Text, nullable=nullable, **kw))


class Complaint(SQLModel, table=True):
    __tablename__ = "intake_complaints"
    __table_args__ = (
        Index(
            "ix_intake_complaints_contact",
            "contact_hmac",
            "category",
            "submitted_at",
            postgresql_where=text("contact_hmac IS NOT NULL"),
        ),
        Index("ix_intake_complaints_submitted_at", "submitted_at"),
    )

    id: UUID = Field(sa_column=Column(PgUUID(as_uuid=True), primary_key=True))
    tracking_code: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    access_token_sha256: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(sa_column=Column(Text, nullable=False))
    priority: str = Field(sa_column=Column(Text, nullable=False))
    description: str = Field(sa_column=Column(Text, nullable=False))
    lat: float | None = Field(default=None, sa_column=Column(Float))
    lon: float | None = Field(default=None, sa_column=Column(Float))
    address: str | None = _text()
    occurred_at: datetime | None = _ts()
    subject_unit_id: str | None = _text()
    subject_officer_id: str | None = _text()
    subject_text: str | None = _text()
    channel: str = Field(sa_column=Column(Text, nullable=False))
    attachments: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    anonymous: bool = Field(sa_column=Column(Boolean, nullable=False))
    contact_name_enc: str | None = _text()
    contact_phone_enc: str | None = _text()
    contact_email_enc: str | None = _text()
    contact_hmac: str | None = _text()
    possible_duplicate_of: UUID | None = Field(default=None, sa_column=Column(PgUUID(as_uuid=True)))
    submitted_at: datetime = _ts(nullable=False)


class ComplaintStatus(SQLModel, table=True):
    """The status view: kept current from routing's, the SLA scheduler's and feedback's events."""

    __tablename__ = "intake_status"

    complaint_id: UUID = Field(
        sa_column=Column(PgUUID(as_uuid=True), ForeignKey("intake_complaints.id"), primary_key=True)
    )
    state: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: str | None = _text()
    unit_name: str | None = _text()
    assignment_id: UUID | None = Field(default=None, sa_column=Column(PgUUID(as_uuid=True)))
    ack_due: datetime | None = _ts()
    resolve_due: datetime | None = _ts()
    answer: str | None = _text()
    resolved_at: datetime | None = _ts()
    question: str | None = _text()
    question_at: datetime | None = _ts()
    feedback_requested: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false"))
    )
    feedback_closes_at: datetime | None = _ts()
    updated_at: datetime = _ts(nullable=False)


class TimelineEntry(SQLModel, table=True):
    __tablename__ = "intake_timeline"
    __table_args__ = (UniqueConstraint("complaint_id", "event_id", name="uq_intake_timeline_event"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    complaint_id: UUID = Field(sa_column=Column(PgUUID(as_uuid=True), nullable=False))
    event_id: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = _ts(nullable=False)
    kind: str = Field(sa_column=Column(Text, nullable=False))
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))


class IdempotencyRecord(SQLModel, table=True):
    """The first response to an `Idempotency-Key`, encrypted (it holds the access token)."""

    __tablename__ = "intake_idempotency"
    __table_args__ = (Index("ix_intake_idempotency_created_at", "created_at"),)

    key: str = Field(sa_column=Column(Text, primary_key=True))
    request_sha256: str = Field(sa_column=Column(Text, nullable=False))
    complaint_id: UUID = Field(sa_column=Column(PgUUID(as_uuid=True), nullable=False))
    response_enc: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _ts(nullable=False)


class ContactAccess(SQLModel, table=True):
    """Who read a citizen's contact in clear, when, and why."""

    __tablename__ = "contact_access_log"
    __table_args__ = (Index("ix_contact_access_log_complaint", "complaint_id", "at"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    complaint_id: UUID = Field(sa_column=Column(PgUUID(as_uuid=True), nullable=False))
    user_id: str = Field(sa_column=Column(Text, nullable=False))
    username: str = Field(sa_column=Column(Text, nullable=False))
    role: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: str | None = _text()
    reason: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = _ts(nullable=False)
