"""The audit log: every event of every topic, append-only, in one hash chain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Text, func
from sqlmodel import Field, SQLModel


class AuditRecord(SQLModel, table=True):
    """`hash` = sha256(prev_hash + content); `content` is the event's canonical JSON."""

    __tablename__ = "fb_audit"
    __table_args__ = (Index("ix_fb_audit_subject", "subject", "seq"),)

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    event_id: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    topic: str
    event_type: str
    subject: str
    event_time: datetime = Field(sa_type=DateTime(timezone=True))
    content: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str
    hash: str
    recorded_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class AuditAbout(SQLModel, table=True):
    """An audit record about a complaint that is not its subject: hot-spot events are keyed
    by the hot spot and name their complaints, whose timelines show them too."""

    __tablename__ = "fb_audit_about"

    complaint_id: str = Field(primary_key=True)
    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
