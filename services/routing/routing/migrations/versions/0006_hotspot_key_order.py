"""hot spots: LSH keys ordered by (key, at, complaint_id)

The candidate probe reads only the latest POSTING_LIMIT entries of each posting list inside
the window (routing.hotspots.lsh_index): with `at` second in the primary key that is one
index range scan, newest first, that stops at the limit. The rows stay as they are; one
complaint has one time, so the key is unique exactly when (key, complaint_id) was.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("hotspot_lsh_keys_pkey", "hotspot_lsh_keys", type_="primary")
    op.create_primary_key("hotspot_lsh_keys_pkey", "hotspot_lsh_keys", ["key", "at", "complaint_id"])


def downgrade() -> None:
    op.drop_constraint("hotspot_lsh_keys_pkey", "hotspot_lsh_keys", type_="primary")
    op.create_primary_key("hotspot_lsh_keys_pkey", "hotspot_lsh_keys", ["key", "complaint_id"])
