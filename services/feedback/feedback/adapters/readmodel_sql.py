"""Upserts of the read model's raw facts. Each one merges so that the result does not
depend on the order events arrive in: earliest action wins, latest deadline source wins,
end and breach times keep the earliest.

A batch's rows go in as one JSON array per statement (`json_populate_recordset` over the
table's own row type, so the columns keep their types), not one execution per row. One
INSERT ... ON CONFLICT DO UPDATE may not touch a row twice, so rows sharing a key go in
successive rounds (`rounds`): the merges do not depend on order, so the result is the one
row by row would give."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

Row = dict[str, Any]


@dataclass(frozen=True)
class Upsert:
    """One read-model upsert: its SQL (one bind parameter, `rows`: a JSON array of objects
    named like the table's columns) and the columns of its conflict key."""

    sql: str
    key: tuple[str, ...]
    # A column whose greatest value wins the merge outright (the statement compares it
    # first): rows of a key with a smaller one cannot change the result, and are dropped
    # before the rounds along with repeats of the same row. None: every row is sent.
    newest: str | None = None
    statement: TextClause = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "statement", text(self.sql))

    def rounds(self, rows: Sequence[Row]) -> list[list[Row]]:
        """`rows` split so that no round holds a key twice: the n-th row of each key goes in
        round n (one round when the keys are distinct, the usual case)."""
        if self.newest is not None:
            rows = self._newest_only(rows, self.newest)
        out: list[list[Row]] = []
        seen: Counter[tuple[Any, ...]] = Counter()
        for row in rows:
            k = tuple(row[c] for c in self.key)
            n = seen[k]
            seen[k] = n + 1
            if n == len(out):
                out.append([])
            out[n].append(row)
        return out

    def _newest_only(self, rows: Sequence[Row], column: str) -> list[Row]:
        """Of each key, the rows with its greatest `column` (and rows without one: the SQL
        decides those), each distinct row once, in their order."""
        newest: dict[tuple[Any, ...], Any] = {}
        for row in rows:
            k, v = tuple(row[c] for c in self.key), row[column]
            if v is not None and (k not in newest or v > newest[k]):
                newest[k] = v
        kept: dict[tuple[Any, ...], Row] = {}
        for row in rows:
            v = row[column]
            if v is None or v == newest[tuple(row[c] for c in self.key)]:
                kept.setdefault(tuple(row.items()), row)
        return list(kept.values())

    async def write(self, session: AsyncSession, rows: Sequence[Row]) -> None:
        for batch in self.rounds(rows):
            await session.execute(self.statement, {"rows": orjson.dumps(batch).decode()})


UNIT = Upsert(
    """
INSERT INTO fb_rm_unit AS u (unit_id, name, kind, district_id, district_name, seen_at)
SELECT unit_id, name, kind, district_id, district_name, seen_at
FROM json_populate_recordset(NULL::fb_rm_unit, CAST(:rows AS json))
ON CONFLICT (unit_id) DO UPDATE SET
  name = excluded.name, kind = excluded.kind, district_id = excluded.district_id,
  district_name = excluded.district_name, seen_at = excluded.seen_at
WHERE (excluded.seen_at, excluded.name, excluded.kind, coalesce(excluded.district_id, ''))
    > (u.seen_at, u.name, u.kind, coalesce(u.district_id, ''))
""",
    ("unit_id",),
    newest="seen_at",  # each assignment names its unit: a batch repeats a station many times
)

COMPLAINT = Upsert(
    """
INSERT INTO fb_rm_complaint AS c (complaint_id, category, priority, channel, submitted_at, withdrawn_at)
SELECT complaint_id, category, priority, channel, submitted_at, withdrawn_at
FROM json_populate_recordset(NULL::fb_rm_complaint, CAST(:rows AS json))
ON CONFLICT (complaint_id) DO UPDATE SET
  category = coalesce(c.category, excluded.category),
  priority = coalesce(c.priority, excluded.priority),
  channel = coalesce(c.channel, excluded.channel),
  submitted_at = coalesce(c.submitted_at, excluded.submitted_at),
  withdrawn_at = least(c.withdrawn_at, excluded.withdrawn_at)
""",
    ("complaint_id",),
)

ASSIGNMENT = Upsert(
    """
INSERT INTO fb_rm_assignment AS a (assignment_id, complaint_id, unit_id, category, reason, started_at,
                                   ended_at, end_kind, awaiting_since, resumed_at)
SELECT assignment_id, complaint_id, unit_id, category, reason, started_at,
        ended_at, end_kind, awaiting_since, resumed_at
FROM json_populate_recordset(NULL::fb_rm_assignment, CAST(:rows AS json))
ON CONFLICT (assignment_id) DO UPDATE SET
  category = CASE WHEN excluded.started_at < a.started_at OR a.started_at IS NULL
                  THEN coalesce(nullif(excluded.category, ''), a.category) ELSE a.category END,
  reason = CASE WHEN excluded.started_at < a.started_at OR a.started_at IS NULL
                THEN coalesce(excluded.reason, a.reason) ELSE a.reason END,
  started_at = least(a.started_at, excluded.started_at),
  end_kind = CASE WHEN excluded.ended_at < a.ended_at OR a.ended_at IS NULL
                  THEN coalesce(excluded.end_kind, a.end_kind) ELSE a.end_kind END,
  ended_at = least(a.ended_at, excluded.ended_at),
  awaiting_since = greatest(a.awaiting_since, excluded.awaiting_since),
  resumed_at = greatest(a.resumed_at, excluded.resumed_at)
""",
    ("assignment_id",),
)

OBLIGATION = Upsert(
    """
INSERT INTO fb_rm_obligation AS o (assignment_id, cycle, kind, complaint_id, unit_id, started_at, due,
  due_set_at, done_at, done_met, wall_s, working_s, responded_at, responded_met, ended_at,
  breached_at, reopened_at, category, outcome, pending)
SELECT assignment_id, cycle, kind, complaint_id, unit_id, started_at, due,
  due_set_at, done_at, done_met, wall_s, working_s, responded_at, responded_met, ended_at,
  breached_at, reopened_at, '', 'open', true
FROM json_populate_recordset(NULL::fb_rm_obligation, CAST(:rows AS json))
ON CONFLICT (assignment_id, cycle, kind) DO UPDATE SET
  started_at = least(o.started_at, excluded.started_at),
  due = CASE WHEN excluded.due IS NOT NULL AND (o.due IS NULL
              OR (excluded.due_set_at, excluded.due) > (o.due_set_at, o.due))
             THEN excluded.due ELSE o.due END,
  due_set_at = CASE WHEN excluded.due IS NOT NULL AND (o.due IS NULL
              OR (excluded.due_set_at, excluded.due) > (o.due_set_at, o.due))
             THEN excluded.due_set_at ELSE o.due_set_at END,
  done_met = CASE WHEN excluded.done_at < o.done_at OR o.done_at IS NULL
                  THEN coalesce(excluded.done_met, o.done_met) ELSE o.done_met END,
  wall_s = CASE WHEN excluded.done_at < o.done_at OR o.done_at IS NULL
                THEN coalesce(excluded.wall_s, o.wall_s) ELSE o.wall_s END,
  working_s = CASE WHEN excluded.done_at < o.done_at OR o.done_at IS NULL
                   THEN coalesce(excluded.working_s, o.working_s) ELSE o.working_s END,
  done_at = least(o.done_at, excluded.done_at),
  responded_met = CASE WHEN excluded.responded_at < o.responded_at OR o.responded_at IS NULL
                       THEN coalesce(excluded.responded_met, o.responded_met) ELSE o.responded_met END,
  responded_at = least(o.responded_at, excluded.responded_at),
  ended_at = least(o.ended_at, excluded.ended_at),
  breached_at = least(o.breached_at, excluded.breached_at),
  reopened_at = least(o.reopened_at, excluded.reopened_at)
""",
    ("assignment_id", "cycle", "kind"),
)

VERDICT = Upsert(
    """
INSERT INTO fb_rm_verdict AS v (assignment_id, cycle, complaint_id, unit_id, requested_at, closes_at,
  given_at, expired_at, resolved, satisfaction, reopen_requested, review_flagged, category, outcome)
SELECT assignment_id, cycle, complaint_id, unit_id, requested_at, closes_at,
  given_at, expired_at, resolved, satisfaction, reopen_requested, review_flagged, '', 'requested'
FROM json_populate_recordset(NULL::fb_rm_verdict, CAST(:rows AS json))
ON CONFLICT (assignment_id, cycle) DO UPDATE SET
  closes_at = CASE WHEN excluded.requested_at < v.requested_at OR v.requested_at IS NULL
                   THEN coalesce(excluded.closes_at, v.closes_at) ELSE v.closes_at END,
  requested_at = least(v.requested_at, excluded.requested_at),
  resolved = CASE WHEN excluded.given_at < v.given_at OR v.given_at IS NULL
                  THEN coalesce(excluded.resolved, v.resolved) ELSE v.resolved END,
  satisfaction = CASE WHEN excluded.given_at < v.given_at OR v.given_at IS NULL
                      THEN coalesce(excluded.satisfaction, v.satisfaction) ELSE v.satisfaction END,
  reopen_requested = CASE WHEN excluded.given_at < v.given_at OR v.given_at IS NULL
                          THEN coalesce(excluded.reopen_requested, v.reopen_requested)
                          ELSE v.reopen_requested END,
  review_flagged = CASE WHEN excluded.given_at < v.given_at OR v.given_at IS NULL
                        THEN coalesce(excluded.review_flagged, v.review_flagged) ELSE v.review_flagged END,
  given_at = least(v.given_at, excluded.given_at),
  expired_at = least(v.expired_at, excluded.expired_at)
""",
    ("assignment_id", "cycle"),
)

ESCALATION = Upsert(
    """
INSERT INTO fb_rm_escalation AS e (assignment_id, cycle, kind, level, complaint_id, unit_id,
  watcher_unit_id, at, category)
SELECT assignment_id, cycle, kind, level, complaint_id, unit_id, watcher_unit_id, at, ''
FROM json_populate_recordset(NULL::fb_rm_escalation, CAST(:rows AS json))
ON CONFLICT (assignment_id, cycle, kind, level) DO UPDATE SET
  watcher_unit_id = CASE WHEN excluded.at < e.at THEN excluded.watcher_unit_id ELSE e.watcher_unit_id END,
  at = least(e.at, excluded.at)
""",
    ("assignment_id", "cycle", "kind", "level"),
)
