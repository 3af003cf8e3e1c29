"""monthly counters and monthly histograms of times to acknowledge and to resolve

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The bucket rule of feedback.domain.histogram as of this revision (γ = 1.1, 200 buckets).
BUCKET = "CASE WHEN {0} < 1 THEN 0 ELSE least(199, 1 + floor(ln({0}) / ln(1.1)))::int END"
FILL = f"""
WITH e AS (
  SELECT o.unit_id, c.category, date_trunc('month', o.done_day)::date AS month, o.kind,
         {BUCKET.format("o.wall_s")} AS wb, {BUCKET.format("o.working_s")} AS kb
    FROM fb_rm_obligation o CROSS JOIN LATERAL (VALUES (o.category), ('*')) AS c(category)
   WHERE o.done_day IS NOT NULL AND o.wall_s IS NOT NULL AND o.working_s IS NOT NULL
), k AS (SELECT unit_id, category, month, kind, count(*)::int AS n FROM e GROUP BY 1, 2, 3, 4),
w AS (SELECT unit_id, category, month, kind, wb AS b, count(*)::int AS c FROM e GROUP BY 1, 2, 3, 4, 5),
r AS (SELECT unit_id, category, month, kind, kb AS b, count(*)::int AS c FROM e GROUP BY 1, 2, 3, 4, 5)
INSERT INTO fb_rm_times (unit_id, category, month, kind, n, wall, working)
SELECT k.unit_id, k.category, k.month, k.kind, k.n,
       array_agg(coalesce(w.c, 0) ORDER BY i), array_agg(coalesce(r.c, 0) ORDER BY i)
  FROM k CROSS JOIN generate_series(0, 199) AS i
  LEFT JOIN w ON (w.unit_id, w.category, w.month, w.kind, w.b) = (k.unit_id, k.category, k.month, k.kind, i)
  LEFT JOIN r ON (r.unit_id, r.category, r.month, r.kind, r.b) = (k.unit_id, k.category, k.month, k.kind, i)
 GROUP BY k.unit_id, k.category, k.month, k.kind, k.n
"""

# The span of buckets that hold anything (1-based, inclusive).
SPANS = """
UPDATE fb_rm_times t SET
  wall_lo = (SELECT min(i) FROM unnest(t.wall) WITH ORDINALITY z(c, i) WHERE c <> 0),
  wall_hi = (SELECT max(i) FROM unnest(t.wall) WITH ORDINALITY z(c, i) WHERE c <> 0),
  working_lo = (SELECT min(i) FROM unnest(t.working) WITH ORDINALITY z(c, i) WHERE c <> 0),
  working_hi = (SELECT max(i) FROM unnest(t.working) WITH ORDINALITY z(c, i) WHERE c <> 0)
"""

COUNTERS = (
    "assignments", "returns", "received", "acknowledged", "resolved", "reopened", "ack_counted", "ack_met",
    "resolve_counted", "resolve_met", "verdicts", "verdicts_resolved", "satisfied", "basically_satisfied",
    "dissatisfied", "no_feedback", "escalations", "hotspots_adopted", "hotspot_counted", "hotspot_met",
)  # fmt: skip
FILL_MONTHLY = f"""
INSERT INTO fb_rm_monthly (unit_id, category, month, {", ".join(COUNTERS)})
SELECT unit_id, category, date_trunc('month', day)::date, {", ".join(f"sum({c})" for c in COUNTERS)}
  FROM fb_rm_daily GROUP BY 1, 2, 3
"""  # noqa: S608 (constants only)


def upgrade() -> None:
    op.create_table(
        "fb_rm_monthly",
        sa.Column("unit_id", sa.String, primary_key=True),
        sa.Column("category", sa.String, primary_key=True),
        sa.Column("month", sa.Date, primary_key=True),
        *(sa.Column(c, sa.Integer, nullable=False, server_default="0") for c in COUNTERS),
    )
    op.execute(FILL_MONTHLY)
    op.create_table(
        "fb_rm_times",
        sa.Column("unit_id", sa.String, primary_key=True),
        sa.Column("category", sa.String, primary_key=True),
        sa.Column("month", sa.Date, primary_key=True),
        sa.Column("kind", sa.String, primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("wall", ARRAY(sa.Integer), nullable=False),
        sa.Column("working", ARRAY(sa.Integer), nullable=False),
        *(sa.Column(c, sa.Integer) for c in ("wall_lo", "wall_hi", "working_lo", "working_hi")),
    )
    # Filled from the facts already there, as the consumer would have filed them.
    op.execute(FILL)
    op.execute(SPANS)


def downgrade() -> None:
    op.drop_table("fb_rm_times")
    op.drop_table("fb_rm_monthly")
