"""Which fact rows count in which daily counter: the rules, written once.

A daily bucket is (unit, category, day). Each `Source` is one fact table read by one of its
day columns: a row counts in the bucket of its (unit_id, category, <day column>), in every
counter whose condition it meets (docs/metrics.md has the rules in words). The read model
turns these rules into two statements (readmodel_rollup): what given complaints or hot
spots contribute to their buckets, and a whole bucket counted again from all its facts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from feedback.adapters.readmodel_tables import COUNTERS

Bucket = tuple[str, str, date]  # unit, category, day


@dataclass(frozen=True)
class Source:
    table: str
    day: str  # the column that names the day a row counts in (NULL: not counted yet)
    counters: dict[str, str]  # counter -> the condition on the fact row `x`
    keep: str = "true"  # which rows count at all


COMPLAINT_SOURCES: tuple[Source, ...] = (
    Source("fb_rm_assignment", "start_day", {
        "assignments": "true",
        "returns": "x.end_kind = 'returned'",
        "received": "x.end_kind IS NULL",
    }),
    Source("fb_rm_obligation", "counted_day", {
        "ack_counted": "x.kind = 'ack'",
        "ack_met": "x.kind = 'ack' AND x.outcome = 'met'",
        "resolve_counted": "x.kind = 'resolve'",
        "resolve_met": "x.kind = 'resolve' AND x.outcome = 'met'",
    }),
    Source("fb_rm_obligation", "done_day", {
        "acknowledged": "x.kind = 'ack'",
        "resolved": "x.kind = 'resolve'",
        "reopened": "x.kind = 'resolve' AND x.reopened_at IS NOT NULL",
    }),
    Source("fb_rm_verdict", "day", {
        "verdicts": "x.outcome = 'verdict'",
        "verdicts_resolved": "x.outcome = 'verdict' AND x.resolved",
        "satisfied": "x.outcome = 'verdict' AND x.satisfaction = 'satisfied'",
        "basically_satisfied": "x.outcome = 'verdict' AND x.satisfaction = 'basically_satisfied'",
        "dissatisfied": "x.outcome = 'verdict' AND x.satisfaction = 'dissatisfied'",
        "no_feedback": "x.outcome = 'expired'",
    }),
    Source("fb_rm_escalation", "day", {"escalations": "true"}),
)  # fmt: skip

# An adopted hot spot counts for its owner unit (docs/metrics.md, "Hot spots").
HOTSPOT_SOURCES: tuple[Source, ...] = (
    Source("fb_rm_hotspot", "adopted_day", {"hotspots_adopted": "true"}, "x.unit_id <> ''"),
    Source("fb_rm_hotspot", "counted_day", {
        "hotspot_counted": "true",
        "hotspot_met": "x.outcome = 'met'",
    }, "x.unit_id <> ''"),
)  # fmt: skip

SOURCES = COMPLAINT_SOURCES + HOTSPOT_SOURCES


def counts(sources: Sequence[Source], rows: Callable[[Source], str]) -> str:
    """A SELECT of (unit_id, category, day, <every counter>) per bucket, summed over the rows
    `rows(source)` picks from each source: a FROM clause that names the fact row `x` and
    ends in a WHERE condition."""
    parts = []
    for s in sources:
        unknown = s.counters.keys() - set(COUNTERS)
        if unknown:
            raise ValueError(f"{s.table}.{s.day} counts into unknown counters: {sorted(unknown)}")
        values = ", ".join(_count(s.counters.get(c)) + f" AS {c}" for c in COUNTERS)
        where = f"{s.keep} AND x.{s.day} IS NOT NULL"
        select = f"SELECT x.unit_id, x.category, x.{s.day} AS day, {values}"
        parts.append(f"{select}\n  FROM {rows(s)} AND {where} GROUP BY 1, 2, 3")
    union = "\n  UNION ALL ".join(parts)
    sums = ", ".join(f"sum({c})::int AS {c}" for c in COUNTERS)
    return f"SELECT unit_id, category, day, {sums} FROM (\n  {union}\n) s GROUP BY 1, 2, 3"  # noqa: S608


def _count(condition: str | None) -> str:
    if condition is None:
        return "0"  # a counter this source does not feed
    return "count(*)" if condition == "true" else f"count(*) FILTER (WHERE {condition})"
