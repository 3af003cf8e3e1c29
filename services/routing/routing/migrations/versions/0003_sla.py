"""SLA tables: policies, loaded calendar years, cycles, durable timers, escalations

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sla_policies",
        sa.Column("category", sa.Text, primary_key=True),
        sa.Column("priority", sa.Text, primary_key=True),
        sa.Column("ack_within_s", sa.Float, nullable=False),
        sa.Column("resolve_within_s", sa.Float, nullable=False),
        sa.Column("warn_at", sa.Float, nullable=False),
        sa.Column("calendar", sa.Text, nullable=False),
        sa.Column("escalate_after", JSONB, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
        sa.CheckConstraint("calendar IN ('24x7', 'workdays')", name="ck_sla_policies_calendar"),
    )
    op.create_table(
        "sla_calendar_years",
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("holidays", JSONB, nullable=False),
        sa.Column("workdays", JSONB, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("loaded_at", TS, nullable=False),
        sa.Column("loaded_by", sa.Text, nullable=False),
    )
    op.create_table(
        "sla_cycles",
        sa.Column("assignment_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("cycle", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=False),
        sa.Column("unit_id", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("priority", sa.Text, nullable=False),
        sa.Column("policy", JSONB, nullable=False),
        sa.Column("calendar", sa.Text, nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ack_due", TS, nullable=False),
        sa.Column("resolve_due", TS, nullable=False),
        sa.Column("ack_done_at", TS),
        sa.Column("resolve_done_at", TS),
        sa.Column("paused_at", TS),
        sa.Column("paused_total_s", sa.Float, nullable=False, server_default="0"),
        sa.Column("paused_working_s", sa.Float, nullable=False, server_default="0"),
        sa.Column("provisional", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("cancelled_at", TS),
        sa.Column("escalation_units", JSONB, nullable=False),
    )
    op.create_index("ix_sla_cycles_complaint", "sla_cycles", ["complaint_id"])
    op.create_index(
        "ix_sla_cycles_provisional_open",
        "sla_cycles",
        ["assignment_id"],
        postgresql_where=sa.text("provisional AND cancelled_at IS NULL"),
    )
    op.create_table(
        "sla_timers",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("assignment_id", UUID(as_uuid=True), nullable=False),
        sa.Column("cycle", sa.Integer, nullable=False),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=False),
        sa.Column("unit_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("state", sa.Text, nullable=False, server_default="pending"),
        sa.Column("fired_at", TS),
        sa.ForeignKeyConstraint(
            ["assignment_id", "cycle"], ["sla_cycles.assignment_id", "sla_cycles.cycle"], ondelete="CASCADE"
        ),
        sa.CheckConstraint("state IN ('pending', 'fired', 'cancelled')", name="ck_sla_timers_state"),
    )
    # The scheduler's only scan: due pending timers in due order (a small partial index).
    op.create_index("ix_sla_timers_due", "sla_timers", ["due_at", "id"], postgresql_where=sa.text("state = 'pending'"))
    op.create_index("ix_sla_timers_cycle", "sla_timers", ["assignment_id", "cycle"])
    op.create_table(
        "sla_escalations",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=False),
        sa.Column("assignment_id", UUID(as_uuid=True), nullable=False),
        sa.Column("cycle", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("watcher_unit_id", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("forced_by", sa.Text),
        sa.Column("reason", sa.Text),
        sa.UniqueConstraint("assignment_id", "cycle", "kind", "level", name="uq_sla_escalations_level"),
    )
    op.create_index("ix_sla_escalations_watcher", "sla_escalations", ["watcher_unit_id", "at"])
    op.create_index("ix_sla_escalations_complaint", "sla_escalations", ["complaint_id"])


def downgrade() -> None:
    raise NotImplementedError("forward-only migrations")
