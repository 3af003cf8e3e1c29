"""The daily counters (fb_rm_daily) of the buckets a batch touched, computed again from the
facts. Buckets are (unit, category, day); a bucket whose counters are all zero is removed.
The monthly counters (fb_rm_monthly, what whole months are read from) change by exactly
what the daily rows of their days changed: the rows deleted are taken off, the rows
inserted added, in the same statements."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.adapters.readmodel_derive import Bucket
from feedback.adapters.readmodel_hotspots import ROLLUP_CTES, ROLLUP_JOINS
from feedback.adapters.readmodel_tables import COUNTERS

READ_MODEL_LOCK = 0x48594652  # "HYFR": every read-model writer takes it once per batch

B = """b AS (SELECT * FROM unnest(CAST(:units AS text[]), CAST(:cats AS text[]), CAST(:days AS date[]))
              AS b(unit_id, category, day))"""
ON_B = "x.unit_id = b.unit_id AND x.category = b.category"


def _to_months(rows: str, sign: str) -> str:
    """Upsert into fb_rm_monthly the daily rows of CTE `rows`, summed per month, with `sign`."""
    return f"""
INSERT INTO fb_rm_monthly AS m (unit_id, category, month, {", ".join(COUNTERS)})
SELECT unit_id, category, date_trunc('month', day)::date, {", ".join(f"{sign}sum({c})" for c in COUNTERS)}
  FROM {rows} GROUP BY 1, 2, 3
ON CONFLICT (unit_id, category, month) DO UPDATE SET {", ".join(f"{c} = m.{c} + excluded.{c}" for c in COUNTERS)}
"""  # noqa: S608 (fragments are constants; values are bound)


DELETE = f"""
WITH {B},
gone AS (DELETE FROM fb_rm_daily d USING b WHERE (d.unit_id, d.category, d.day) = (b.unit_id, b.category, b.day)
         RETURNING d.*)
{_to_months("gone", "-")}"""  # noqa: S608 (fragments are constants; values are bound)

DROP_EMPTY_MONTHS = f"""
WITH {B}
DELETE FROM fb_rm_monthly m USING b
 WHERE (m.unit_id, m.category, m.month) = (b.unit_id, b.category, date_trunc('month', b.day)::date)
   AND {" + ".join(f"m.{c}" for c in COUNTERS)} = 0
"""  # noqa: S608 (fragments are constants; values are bound)

INSERT = f"""
WITH {B},
asg AS (SELECT b.unit_id, b.category, b.day, count(*) AS assignments,
               count(*) FILTER (WHERE x.end_kind = 'returned') AS returns,
               count(*) FILTER (WHERE x.end_kind IS NULL) AS received
          FROM b JOIN fb_rm_assignment x ON {ON_B} AND x.start_day = b.day GROUP BY 1, 2, 3),
obl AS (SELECT b.unit_id, b.category, b.day,
               count(*) FILTER (WHERE x.kind = 'ack') AS ack_counted,
               count(*) FILTER (WHERE x.kind = 'ack' AND x.outcome = 'met') AS ack_met,
               count(*) FILTER (WHERE x.kind = 'resolve') AS resolve_counted,
               count(*) FILTER (WHERE x.kind = 'resolve' AND x.outcome = 'met') AS resolve_met
          FROM b JOIN fb_rm_obligation x ON {ON_B} AND x.counted_day = b.day GROUP BY 1, 2, 3),
act AS (SELECT b.unit_id, b.category, b.day,
               count(*) FILTER (WHERE x.kind = 'ack') AS acknowledged,
               count(*) FILTER (WHERE x.kind = 'resolve') AS resolved,
               count(*) FILTER (WHERE x.kind = 'resolve' AND x.reopened_at IS NOT NULL) AS reopened
          FROM b JOIN fb_rm_obligation x ON {ON_B} AND x.done_day = b.day GROUP BY 1, 2, 3),
ver AS (SELECT b.unit_id, b.category, b.day,
               count(*) FILTER (WHERE x.outcome = 'verdict') AS verdicts,
               count(*) FILTER (WHERE x.outcome = 'verdict' AND x.resolved) AS verdicts_resolved,
               count(*) FILTER (WHERE x.outcome = 'verdict' AND x.satisfaction = 'satisfied') AS satisfied,
               count(*) FILTER (WHERE x.outcome = 'verdict' AND x.satisfaction = 'basically_satisfied')
                 AS basically_satisfied,
               count(*) FILTER (WHERE x.outcome = 'verdict' AND x.satisfaction = 'dissatisfied') AS dissatisfied,
               count(*) FILTER (WHERE x.outcome = 'expired') AS no_feedback
          FROM b JOIN fb_rm_verdict x ON {ON_B} AND x.day = b.day GROUP BY 1, 2, 3),
esc AS (SELECT b.unit_id, b.category, b.day, count(*) AS escalations
          FROM b JOIN fb_rm_escalation x ON {ON_B} AND x.day = b.day GROUP BY 1, 2, 3),
{ROLLUP_CTES},
counts AS (
  SELECT b.unit_id, b.category, b.day,
         {", ".join(f"coalesce({c}, 0) AS {c}" for c in COUNTERS)}
    FROM b
    LEFT JOIN asg USING (unit_id, category, day) LEFT JOIN obl USING (unit_id, category, day)
    LEFT JOIN act USING (unit_id, category, day) LEFT JOIN ver USING (unit_id, category, day)
    LEFT JOIN esc USING (unit_id, category, day) {ROLLUP_JOINS}),
added AS (INSERT INTO fb_rm_daily (unit_id, category, day, {", ".join(COUNTERS)})
          SELECT * FROM counts WHERE {" + ".join(COUNTERS)} > 0 RETURNING *)
{_to_months("added", "")}"""  # noqa: S608 (fragments are constants; values are bound)


async def refresh(session: AsyncSession, touched: Collection[Bucket]) -> None:
    if not touched:
        return
    ordered = sorted(touched)
    params = {
        "units": [b[0] for b in ordered],
        "cats": [b[1] for b in ordered],
        "days": [b[2] for b in ordered],
    }
    await session.execute(text(DELETE), params)
    await session.execute(text(INSERT), params)
    await session.execute(text(DROP_EMPTY_MONTHS), params)
