"""hot spots: sightings, LSH band keys, hot spots, adoption

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hotspot_sightings",
        sa.Column("complaint_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tracking_code", sa.Text),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("citizen_ref", sa.Text),
        sa.Column("unit_id", sa.Text),
        sa.Column("district_id", sa.Text),
        sa.Column("group_id", UUID(as_uuid=True)),
        sa.Column("joined_at", TS),
        sa.Column("terms", ARRAY(sa.Text), nullable=False),
        sa.Column("hashvalues", ARRAY(sa.BigInteger), nullable=False),
    )
    op.create_index("ix_hotspot_sightings_group", "hotspot_sightings", ["group_id", "at"])
    op.create_table(
        "hotspot_band_keys",
        sa.Column("band_key", sa.BigInteger, primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_hotspot_band_keys_probe", "hotspot_band_keys", ["band_key", "category", "at"])
    op.create_index("ix_hotspot_band_keys_at", "hotspot_band_keys", ["at"])
    op.create_table(
        "hotspot_groups",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("unit_id", sa.Text),
        sa.Column("district_id", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("complaint_count", sa.Integer, nullable=False),
        sa.Column("citizen_count", sa.Integer, nullable=False),
        sa.Column("keywords", ARRAY(sa.Text), nullable=False),
        sa.Column("first_at", TS, nullable=False),
        sa.Column("last_at", TS, nullable=False),
        sa.Column("detected_at", TS),
        sa.Column("owner_unit_id", sa.Text),
        sa.Column("deadline", TS),
        sa.Column("adopted_by", sa.Text),
        sa.Column("adopted_at", TS),
        sa.Column("adopt_note", sa.Text),
        sa.Column("overdue_at", TS),
        sa.Column("solved_at", TS),
        sa.Column("solved_by", sa.Text),
        sa.Column("summary", sa.Text),
        sa.Column("on_time", sa.Boolean),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "status IN ('forming', 'detected', 'adopted', 'solved')", name="ck_hotspot_groups_status"
        ),
    )
    op.create_index("ix_hotspot_groups_status", "hotspot_groups", ["status", "last_at"])
    op.create_index("ix_hotspot_groups_unit", "hotspot_groups", ["unit_id"])
    op.create_index("ix_hotspot_groups_owner", "hotspot_groups", ["owner_unit_id"])
    op.create_table(
        "hotspot_notes",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("hotspot_id", UUID(as_uuid=True), nullable=False),
        sa.Column("unit_id", sa.Text),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_hotspot_notes_hotspot", "hotspot_notes", ["hotspot_id", "id"])
    op.create_table(
        "hotspot_timers",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("hotspot_id", UUID(as_uuid=True), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("state", sa.Text, nullable=False, server_default="pending"),
        sa.Column("fired_at", TS),
        sa.CheckConstraint("state IN ('pending', 'fired', 'cancelled')", name="ck_hotspot_timers_state"),
    )
    op.create_index(
        "ix_hotspot_timers_due",
        "hotspot_timers",
        ["due_at", "id"],
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_index("ix_hotspot_timers_hotspot", "hotspot_timers", ["hotspot_id"])


def downgrade() -> None:
    for table in (
        "hotspot_timers",
        "hotspot_notes",
        "hotspot_groups",
        "hotspot_band_keys",
        "hotspot_sightings",
    ):
        op.drop_table(table)
