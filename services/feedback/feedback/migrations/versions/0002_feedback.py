"""feedback tables: citizen access, feedback requests, read model, audit log

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
UUID = sa.Uuid()


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, TZ, nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "fb_citizen_access",
        sa.Column("complaint_id", UUID, primary_key=True),
        sa.Column("tracking_code", sa.Text, nullable=False, unique=True),
        sa.Column("token_sha256", sa.Text, nullable=False),
        _ts("submitted_at", False),
    )
    op.create_table(
        "fb_request",
        sa.Column("assignment_id", UUID, primary_key=True),
        sa.Column("cycle", sa.Integer, primary_key=True),
        sa.Column("complaint_id", UUID, nullable=False),
        sa.Column("unit_id", sa.String, nullable=False),
        _ts("requested_at", False),
        _ts("closes_at", False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("resolved", sa.Boolean),
        sa.Column("satisfaction", sa.String),
        sa.Column("comment", sa.String),
        _ts("given_at"),
        sa.Column("reopen_requested", sa.Boolean),
        sa.Column("review_flagged", sa.Boolean),
        _ts("expired_at"),
    )
    op.create_index(
        "ix_fb_request_open", "fb_request", ["closes_at"], postgresql_where=sa.text("status = 'open'")
    )
    op.create_index("ix_fb_request_complaint", "fb_request", ["complaint_id", "requested_at"])

    op.create_table(
        "fb_audit",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("event_id", sa.Text, nullable=False, unique=True),
        sa.Column("topic", sa.String, nullable=False),
        sa.Column("event_type", sa.String, nullable=False),
        sa.Column("subject", sa.String, nullable=False),
        _ts("event_time", False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String, nullable=False),
        sa.Column("hash", sa.String, nullable=False),
        sa.Column("recorded_at", TZ, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_fb_audit_subject", "fb_audit", ["subject", "seq"])
    _read_model()


def _read_model() -> None:
    op.create_table(
        "fb_rm_unit",
        sa.Column("unit_id", sa.String, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("district_id", sa.String),
        sa.Column("district_name", sa.String),
        _ts("seen_at", False),
    )
    op.create_table(
        "fb_rm_complaint",
        sa.Column("complaint_id", UUID, primary_key=True),
        sa.Column("category", sa.String),
        sa.Column("priority", sa.String),
        sa.Column("channel", sa.String),
        _ts("submitted_at"),
        _ts("withdrawn_at"),
    )
    op.create_table(
        "fb_rm_assignment",
        sa.Column("assignment_id", UUID, primary_key=True),
        sa.Column("complaint_id", UUID, nullable=False),
        sa.Column("unit_id", sa.String, nullable=False),
        sa.Column("category", sa.String, nullable=False),
        sa.Column("reason", sa.String),
        _ts("started_at"),
        sa.Column("start_day", sa.Date),
        _ts("ended_at"),
        sa.Column("end_kind", sa.String),
        _ts("awaiting_since"),
        _ts("resumed_at"),
    )
    op.create_index("ix_fb_rm_assignment_unit_day", "fb_rm_assignment", ["unit_id", "start_day"])
    op.create_index("ix_fb_rm_assignment_complaint", "fb_rm_assignment", ["complaint_id"])
    op.create_table(
        "fb_rm_obligation",
        sa.Column("assignment_id", UUID, primary_key=True),
        sa.Column("cycle", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String, primary_key=True),
        sa.Column("complaint_id", UUID, nullable=False),
        sa.Column("unit_id", sa.String, nullable=False),
        _ts("started_at"),
        _ts("due"),
        _ts("due_set_at"),
        _ts("done_at"),
        sa.Column("done_met", sa.Boolean),
        sa.Column("wall_s", sa.Float),
        sa.Column("working_s", sa.Float),
        _ts("responded_at"),
        sa.Column("responded_met", sa.Boolean),
        _ts("ended_at"),
        _ts("breached_at"),
        _ts("reopened_at"),
        sa.Column("category", sa.String, nullable=False),
        sa.Column("outcome", sa.String, nullable=False),
        _ts("counted_at"),
        sa.Column("counted_day", sa.Date),
        sa.Column("done_day", sa.Date),
        sa.Column("pending", sa.Boolean, nullable=False),
    )
    op.create_index("ix_fb_rm_obligation_complaint", "fb_rm_obligation", ["complaint_id"])
    op.create_index("ix_fb_rm_obligation_counted", "fb_rm_obligation", ["unit_id", "counted_day"])
    op.create_index("ix_fb_rm_obligation_done", "fb_rm_obligation", ["unit_id", "kind", "done_day"])
    op.create_index(
        "ix_fb_rm_obligation_pending", "fb_rm_obligation", ["due"], postgresql_where=sa.text("pending")
    )
    op.create_table(
        "fb_rm_verdict",
        sa.Column("assignment_id", UUID, primary_key=True),
        sa.Column("cycle", sa.Integer, primary_key=True),
        sa.Column("complaint_id", UUID, nullable=False),
        sa.Column("unit_id", sa.String, nullable=False),
        _ts("requested_at"),
        _ts("closes_at"),
        _ts("given_at"),
        _ts("expired_at"),
        sa.Column("resolved", sa.Boolean),
        sa.Column("satisfaction", sa.String),
        sa.Column("reopen_requested", sa.Boolean),
        sa.Column("review_flagged", sa.Boolean),
        sa.Column("category", sa.String, nullable=False),
        sa.Column("outcome", sa.String, nullable=False),
        sa.Column("day", sa.Date),
    )
    op.create_index("ix_fb_rm_verdict_unit_day", "fb_rm_verdict", ["unit_id", "day"])
    op.create_index("ix_fb_rm_verdict_complaint", "fb_rm_verdict", ["complaint_id"])
    op.create_table(
        "fb_rm_escalation",
        sa.Column("assignment_id", UUID, primary_key=True),
        sa.Column("cycle", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String, primary_key=True),
        sa.Column("level", sa.Integer, primary_key=True),
        sa.Column("complaint_id", UUID, nullable=False),
        sa.Column("unit_id", sa.String, nullable=False),
        sa.Column("watcher_unit_id", sa.String, nullable=False),
        _ts("at", False),
        sa.Column("category", sa.String, nullable=False),
        sa.Column("day", sa.Date),
    )
    op.create_index("ix_fb_rm_escalation_unit_day", "fb_rm_escalation", ["unit_id", "day"])
    op.create_index("ix_fb_rm_escalation_complaint", "fb_rm_escalation", ["complaint_id"])
    counters = [
        "assignments", "returns", "received", "acknowledged", "resolved", "reopened",
        "ack_counted", "ack_met", "resolve_counted", "resolve_met", "verdicts",
        "verdicts_resolved", "satisfied", "basically_satisfied", "dissatisfied",
        "no_feedback", "escalations",
    ]  # fmt: skip
    op.create_table(
        "fb_rm_daily",
        sa.Column("unit_id", sa.String, primary_key=True),
        sa.Column("category", sa.String, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        *(sa.Column(c, sa.Integer, nullable=False, server_default="0") for c in counters),
    )
    op.create_index("ix_fb_rm_daily_day", "fb_rm_daily", ["day", "unit_id"])


def downgrade() -> None:
    raise NotImplementedError("forward-only migrations")
