"""The feedback service's own state: who may give a verdict, and the feedback requests.

Table names start with `fb_` (all services share one SQLModel metadata in the tests).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Column, DateTime, Index, Text, text
from sqlmodel import Field, SQLModel

TZ = DateTime(timezone=True)


class CitizenAccess(SQLModel, table=True):
    """From `ComplaintSubmitted`: the tracking code and the SHA-256 of the citizen's token."""

    __tablename__ = "fb_citizen_access"

    complaint_id: UUID = Field(primary_key=True)
    tracking_code: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    token_sha256: str = Field(sa_column=Column(Text, nullable=False))
    submitted_at: datetime = Field(sa_type=TZ)


class FeedbackRequest(SQLModel, table=True):
    """One per resolution (assignment, cycle): open until a verdict or the window's end."""

    __tablename__ = "fb_request"
    __table_args__ = (
        Index("ix_fb_request_open", "closes_at", postgresql_where=text("status = 'open'")),
        Index("ix_fb_request_complaint", "complaint_id", "requested_at"),
    )

    assignment_id: UUID = Field(primary_key=True)
    cycle: int = Field(primary_key=True)
    complaint_id: UUID
    unit_id: str
    requested_at: datetime = Field(sa_type=TZ)
    closes_at: datetime = Field(sa_type=TZ)
    status: str = "open"  # open | given | expired
    resolved: bool | None = None
    satisfaction: str | None = None
    comment: str | None = None
    given_at: datetime | None = Field(default=None, sa_type=TZ)
    reopen_requested: bool | None = None
    review_flagged: bool | None = None
    expired_at: datetime | None = Field(default=None, sa_type=TZ)
