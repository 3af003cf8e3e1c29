"""Published monthly snapshots: one row per (month, version), never updated or deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, DateTime, Text
from sqlmodel import Field, SQLModel


class PublicSnapshot(SQLModel, table=True):
    """`figures` is the canonical JSON text that was hashed: served as stored, so anyone
    can check `sha256` against what they downloaded."""

    __tablename__ = "fb_public_snapshot"
    __table_args__ = (
        CheckConstraint("version >= 1", name="ck_fb_public_snapshot_version"),
        # The automatic publication has no reason; a correction always says why.
        CheckConstraint(
            "(version = 1 AND reason IS NULL) OR (version > 1 AND reason IS NOT NULL)",
            name="ck_fb_public_snapshot_reason",
        ),
    )

    month: str = Field(primary_key=True)  # YYYY-MM
    version: int = Field(primary_key=True)
    figures: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str
    published_at: datetime = Field(sa_type=DateTime(timezone=True))
    published_by: str  # "system", or the staff user id of a correction (never shown publicly)
    reason: str | None = None
