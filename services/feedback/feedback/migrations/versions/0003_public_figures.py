"""public figures: frozen monthly snapshots and their versions

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fb_public_snapshot",
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("month", "version"),
        sa.CheckConstraint("version >= 1", name="ck_fb_public_snapshot_version"),
        sa.CheckConstraint(
            "(version = 1 AND reason IS NULL) OR (version > 1 AND reason IS NOT NULL)",
            name="ck_fb_public_snapshot_reason",
        ),
    )


def downgrade() -> None:
    op.drop_table("fb_public_snapshot")
