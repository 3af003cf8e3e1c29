"""routing tables: units, jurisdictions, assignments, staff users

Revision ID: 0002
Revises: 0001
"""

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the routing work (issue 4)


def downgrade() -> None:
    raise NotImplementedError("forward-only migrations")
