"""hot spots a complaint belongs to (for the citizen's tracking page)

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "intake_hotspot",
        sa.Column("hotspot_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("complaint_count", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("detected_at", TS),
        sa.Column("adopted_at", TS),
        sa.Column("owner_unit_name", sa.Text),
        sa.Column("deadline", TS),
        sa.Column("solved_at", TS),
        sa.Column("solved_summary", sa.Text),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "intake_hotspot_member",
        sa.Column(
            "complaint_id", UUID(as_uuid=True), sa.ForeignKey("intake_complaints.id"), primary_key=True
        ),
        sa.Column(
            "hotspot_id", UUID(as_uuid=True), sa.ForeignKey("intake_hotspot.hotspot_id"), primary_key=True
        ),
        sa.Column("joined_at", TS, nullable=False),
    )
    op.create_index("ix_intake_hotspot_member_hotspot", "intake_hotspot_member", ["hotspot_id"])


def downgrade() -> None:
    op.drop_table("intake_hotspot_member")
    op.drop_table("intake_hotspot")
