"""hot spots in the accountability read model

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
HOTSPOT_COUNTERS = ("hotspots_adopted", "hotspot_counted", "hotspot_met")


def upgrade() -> None:
    op.create_table(
        "fb_rm_hotspot",
        sa.Column("hotspot_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("detected_category", sa.String),
        sa.Column("owner_unit_id", sa.String),
        sa.Column("adopted_at", TS),
        sa.Column("deadline", TS),
        sa.Column("deadline_set_at", TS),
        sa.Column("solved_at", TS),
        sa.Column("solved_on_time", sa.Boolean),
        sa.Column("overdue_at", TS),
        sa.Column("unit_id", sa.String, nullable=False),
        sa.Column("category", sa.String, nullable=False),
        sa.Column("outcome", sa.String, nullable=False),
        sa.Column("adopted_day", sa.Date),
        sa.Column("counted_at", TS),
        sa.Column("counted_day", sa.Date),
    )
    op.create_index("ix_fb_rm_hotspot_adopted", "fb_rm_hotspot", ["unit_id", "adopted_day"])
    op.create_index("ix_fb_rm_hotspot_counted", "fb_rm_hotspot", ["unit_id", "counted_day"])
    for counter in HOTSPOT_COUNTERS:
        op.add_column("fb_rm_daily", sa.Column(counter, sa.Integer, nullable=False, server_default="0"))
    # Audit records about a complaint whose subject is something else (a hot spot's events
    # name their complaints): the complaint's timeline shows them too.
    op.create_table(
        "fb_audit_about",
        sa.Column("complaint_id", sa.String, primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("fb_audit_about")
    for counter in HOTSPOT_COUNTERS:
        op.drop_column("fb_rm_daily", counter)
    op.drop_table("fb_rm_hotspot")
