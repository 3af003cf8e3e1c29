"""intake tables: complaints, status view, timeline, idempotency, contact access log

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "intake_complaints",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tracking_code", sa.Text, nullable=False, unique=True),
        sa.Column("access_token_sha256", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("priority", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("address", sa.Text),
        sa.Column("occurred_at", TS),
        sa.Column("subject_unit_id", sa.Text),
        sa.Column("subject_officer_id", sa.Text),
        sa.Column("subject_text", sa.Text),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("attachments", JSONB, nullable=False),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("contact_name_enc", sa.Text),
        sa.Column("contact_phone_enc", sa.Text),
        sa.Column("contact_email_enc", sa.Text),
        sa.Column("contact_hmac", sa.Text),
        sa.Column("possible_duplicate_of", UUID(as_uuid=True)),
        sa.Column("submitted_at", TS, nullable=False),
    )
    op.create_index(
        "ix_intake_complaints_contact",
        "intake_complaints",
        ["contact_hmac", "category", "submitted_at"],
        postgresql_where=sa.text("contact_hmac IS NOT NULL"),
    )
    op.create_index("ix_intake_complaints_submitted_at", "intake_complaints", ["submitted_at"])

    op.create_table(
        "intake_status",
        sa.Column("complaint_id", UUID(as_uuid=True), sa.ForeignKey("intake_complaints.id"), primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("unit_id", sa.Text),
        sa.Column("unit_name", sa.Text),
        sa.Column("assignment_id", UUID(as_uuid=True)),
        sa.Column("ack_due", TS),
        sa.Column("resolve_due", TS),
        sa.Column("answer", sa.Text),
        sa.Column("resolved_at", TS),
        sa.Column("question", sa.Text),
        sa.Column("question_at", TS),
        sa.Column("feedback_requested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("feedback_closes_at", TS),
        sa.Column("updated_at", TS, nullable=False),
    )

    op.create_table(
        "intake_timeline",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=False),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("detail", JSONB, nullable=False),
        sa.UniqueConstraint("complaint_id", "event_id", name="uq_intake_timeline_event"),
    )

    op.create_table(
        "intake_idempotency",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("request_sha256", sa.Text, nullable=False),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=False),
        sa.Column("response_enc", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_intake_idempotency_created_at", "intake_idempotency", ["created_at"])

    op.create_table(
        "contact_access_log",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=False),
        sa.Column("user_id", sa.Text, nullable=False),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("unit_id", sa.Text),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_contact_access_log_complaint", "contact_access_log", ["complaint_id", "at"])


def downgrade() -> None:
    raise NotImplementedError("forward-only migrations")
