"""What follows from the raw facts: outcomes and the day each item counts in, recomputed
for the complaints a batch touched (see docs/metrics.md for the rules written out; the
counters they feed: readmodel_counting)."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

DAY = "AT TIME ZONE 'Asia/Shanghai')::date"
# An obligation's outcome from `s` (acted_at, acted_met, breached_at, end_at, due): the one
# rule, shared with the bench's bulk loader (docs/metrics.md, "Period of an obligation").
OUTCOME = """CASE
      WHEN s.acted_at IS NOT NULL THEN CASE WHEN s.acted_met THEN 'met' ELSE 'missed' END
      WHEN s.breached_at IS NOT NULL THEN 'missed'
      WHEN s.end_at IS NOT NULL AND s.due IS NOT NULL AND s.end_at >= s.due THEN 'missed'
      WHEN s.end_at IS NOT NULL THEN 'cancelled'
      ELSE 'open' END"""

ASSIGNMENTS = f"""
UPDATE fb_rm_assignment SET start_day = (started_at {DAY}
 WHERE complaint_id = ANY(:ids) AND start_day IS DISTINCT FROM (started_at {DAY}
"""  # noqa: S608 (fragments are constants; values are bound)

OBLIGATIONS = f"""
WITH src AS (
  SELECT o.assignment_id, o.cycle, o.kind, o.due, o.breached_at, o.done_at,
         coalesce(a.category, '') AS category,
         least(o.ended_at, c.withdrawn_at) AS end_at,
         coalesce(o.done_at, o.responded_at) AS acted_at,
         CASE WHEN o.done_at IS NOT NULL THEN o.done_met
              WHEN o.responded_at IS NOT NULL THEN coalesce(o.responded_met, o.responded_at <= o.due)
         END AS acted_met
    FROM fb_rm_obligation o
    LEFT JOIN fb_rm_assignment a ON a.assignment_id = o.assignment_id
    LEFT JOIN fb_rm_complaint c ON c.complaint_id = o.complaint_id
   WHERE o.complaint_id = ANY(:ids)
), judged AS (
  SELECT s.*, {OUTCOME} AS outcome
    FROM src s
), counted AS (
  SELECT j.*, CASE WHEN j.outcome IN ('met', 'missed') THEN least(j.acted_at, j.due) END AS counted_at
    FROM judged j
)
UPDATE fb_rm_obligation o SET
  category = k.category, outcome = k.outcome, counted_at = k.counted_at,
  counted_day = (k.counted_at {DAY}, done_day = (k.done_at {DAY},
  pending = k.acted_at IS NULL AND k.end_at IS NULL AND k.due IS NOT NULL
  FROM counted k
 WHERE (o.assignment_id, o.cycle, o.kind) = (k.assignment_id, k.cycle, k.kind)
"""  # noqa: S608 (fragments are constants; values are bound)

VERDICTS = f"""
UPDATE fb_rm_verdict v SET
  category = coalesce((SELECT a.category FROM fb_rm_assignment a WHERE a.assignment_id = v.assignment_id), ''),
  outcome = CASE WHEN v.given_at IS NOT NULL THEN 'verdict'
                 WHEN v.expired_at IS NOT NULL THEN 'expired' ELSE 'requested' END,
  day = (coalesce(v.given_at, v.expired_at) {DAY}
 WHERE v.complaint_id = ANY(:ids)
"""  # noqa: S608 (fragments are constants; values are bound)

ESCALATIONS = f"""
UPDATE fb_rm_escalation e SET
  category = coalesce((SELECT a.category FROM fb_rm_assignment a WHERE a.assignment_id = e.assignment_id), ''),
  day = (e.at {DAY}
 WHERE e.complaint_id = ANY(:ids)
"""  # noqa: S608 (fragments are constants; values are bound)


async def derive(session: AsyncSession, complaint_ids: Collection[UUID]) -> None:
    params = {"ids": list(complaint_ids)}
    for statement in (ASSIGNMENTS, OBLIGATIONS, VERDICTS, ESCALATIONS):
        await session.execute(text(statement), params)
