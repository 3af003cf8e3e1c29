"""routing tables: units, jurisdictions, assignments, staff users

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts(name, nullable=True, **kw):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, **kw)


def upgrade() -> None:
    op.execute("CREATE SEQUENCE routing_units_revision_seq")
    op.create_table(
        "routing_units",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False, server_default=""),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("parent_id", sa.Text, sa.ForeignKey("routing_units.id")),
        sa.Column("categories", JSONB, nullable=False),
        sa.Column("jurisdiction", JSONB),
        sa.Column("contact", JSONB, nullable=False),
        sa.Column("calendar", sa.Text, nullable=False),
        _ts("retired_at"),
        sa.Column(
            "revision",
            sa.BigInteger,
            nullable=False,
            server_default=sa.text("nextval('routing_units_revision_seq')"),
        ),
        _ts("created_at", False, server_default=sa.func.now()),
        _ts("updated_at", False, server_default=sa.func.now()),
    )
    op.create_index("ix_routing_units_revision", "routing_units", ["revision"])
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("username", sa.Text, nullable=False, unique=True),
        sa.Column("display_name", sa.Text, nullable=False, server_default=""),
        sa.Column("badge_no", sa.Text, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("unit_id", sa.Text, sa.ForeignKey("routing_units.id")),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.text("true")),
        _ts("created_at", False, server_default=sa.func.now()),
        _ts("updated_at", False, server_default=sa.func.now()),
    )
    op.create_table(
        "routing_cases",
        sa.Column("complaint_id", sa.Uuid, primary_key=True),
        sa.Column("tracking_code", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("priority", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("location", JSONB, nullable=False),
        sa.Column("subject", JSONB),
        sa.Column("channel", sa.Text, nullable=False),
        _ts("submitted_at", False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("unit_id", sa.Text, nullable=False),
        sa.Column("assignment_id", sa.Uuid),
        sa.Column("cycle", sa.Integer, nullable=False),
        sa.Column("returns", sa.Integer, nullable=False, server_default="0"),
        sa.Column("officer_id", sa.Text),
        sa.Column("answer", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        _ts("updated_at", False),
    )
    op.create_index("ix_routing_cases_unit_state", "routing_cases", ["unit_id", "state"])
    op.create_table(
        "routing_assignments",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("complaint_id", sa.Uuid, nullable=False),
        sa.Column("unit_id", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("candidates", JSONB, nullable=False),
        _ts("routed_at", False),
        sa.Column("routed_by", sa.Text),
        _ts("ended_at"),
        sa.Column("end_reason", sa.Text),
    )
    op.create_index("ix_routing_assignments_complaint_id", "routing_assignments", ["complaint_id"])
    op.create_table(
        "routing_history",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("complaint_id", sa.Uuid, nullable=False),
        sa.Column("assignment_id", sa.Uuid),
        _ts("at", False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("actor", sa.Text),
        sa.Column("detail", JSONB, nullable=False),
    )
    op.create_index("ix_routing_history_complaint", "routing_history", ["complaint_id", "id"])


def downgrade() -> None:
    raise NotImplementedError("forward-only migrations")
