"""platform tables: outbox and processed events

Revision ID: 0001
Revises:
"""

from huiyin.migrate import create_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables()


def downgrade() -> None:
    raise NotImplementedError("forward-only migrations")
