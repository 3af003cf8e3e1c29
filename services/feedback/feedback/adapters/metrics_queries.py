"""Aggregations over the read model for the supervision API.

Counts come from the monthly counters (fb_rm_monthly) for a period's whole months and
the daily ones (fb_rm_daily) for its other days; the medians and p90s of times from the
monthly histograms (fb_rm_times) and, for the other days, from the facts of those days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.adapters import readmodel_times
from feedback.adapters.readmodel_tables import COUNTERS
from feedback.adapters.readmodel_times import Histograms
from feedback.domain import histogram
from feedback.domain.periods import Period
from feedback.domain.scope import Scope

Grouping = Literal["unit", "district", "city"]
GROUP_KEY = {"unit": "u.unit_id", "district": "coalesce(u.district_id, '')", "city": "''"}
SUMS = ", ".join(f"sum(d.{c})::bigint AS {c}" for c in COUNTERS)


@dataclass(frozen=True)
class Filters:
    period: Period
    scope: Scope
    unit_kind: str | None = None
    district_id: str | None = None
    category: str | None = None
    unit_id: str | None = None

    def where_units(self) -> str:
        """Conditions on `u` (fb_rm_unit) from the filters and the caller's scope."""
        clauses = ["(:city OR u.district_id = :scope_district OR u.unit_id = :scope_unit)"]
        if self.unit_kind is not None:
            clauses.append("u.kind = :unit_kind")
        if self.district_id is not None:
            clauses.append("u.district_id = :district_id")
        if self.unit_id is not None:
            clauses.append("u.unit_id = :unit_id")
        return " AND ".join(clauses)

    def params(self) -> dict[str, Any]:
        return {
            "start": self.period.start,
            "end": self.period.end,
            "city": self.scope.city_wide,
            "scope_district": self.scope.district_id,
            "scope_unit": self.scope.unit_id,
            "unit_kind": self.unit_kind,
            "district_id": self.district_id,
            "unit_id": self.unit_id,
            "category": self.category,
        }

    def category_clause(self, alias: str) -> str:
        return f" AND {alias}.category = :category" if self.category is not None else ""


async def units(session: AsyncSession, f: Filters) -> list[dict[str, Any]]:
    sql = f"SELECT * FROM fb_rm_unit u WHERE {f.where_units()} ORDER BY u.unit_id"  # noqa: S608 (fragments are constants; values are bound)
    return [dict(r._mapping) for r in await session.execute(text(sql), f.params())]


async def counts(session: AsyncSession, f: Filters, group: Grouping) -> dict[str, dict[str, int]]:
    """Summed counters: whole months from fb_rm_monthly, the other days from fb_rm_daily."""
    months, spans = histogram.split_by_month(f.period.start, f.period.end)
    cols = ", ".join(COUNTERS)
    days = " OR ".join(f"(day >= :lo{i} AND day < :hi{i})" for i in range(len(spans))) or "false"
    sql = f"""
    SELECT {GROUP_KEY[group]} AS k, {SUMS} FROM (
        SELECT unit_id, category, {cols} FROM fb_rm_monthly WHERE month = ANY(:months)
        UNION ALL SELECT unit_id, category, {cols} FROM fb_rm_daily WHERE {days}
      ) d JOIN fb_rm_unit u ON u.unit_id = d.unit_id
     WHERE {f.where_units()}{f.category_clause("d")}
     GROUP BY 1"""  # noqa: S608 (fragments are constants; values are bound)
    params = f.params() | {"months": months}
    for i, (lo, hi) in enumerate(spans):
        params |= {f"lo{i}": lo, f"hi{i}": hi}
    rows = await session.execute(text(sql), params)
    return {r[0]: dict(zip(COUNTERS, map(int, r[1:]), strict=True)) for r in rows}


async def times(session: AsyncSession, f: Filters, group: Grouping) -> dict[str, dict[str, Any]]:
    """Per group and kind: n, median and p90 of wall and working seconds (by action day),
    from histograms (domain/histogram.py): whole months from their rows in fb_rm_times,
    the days around them filed from the facts on the fly, into the same buckets."""
    months, spans = histogram.split_by_month(f.period.start, f.period.end)
    key, found = GROUP_KEY[group], Histograms()
    if months:
        sql = f"""
        SELECT {key} AS k, t.kind, t.n, t.wall_lo, t.wall[t.wall_lo:t.wall_hi], t.working_lo,
               t.working[t.working_lo:t.working_hi] FROM fb_rm_times t JOIN fb_rm_unit u ON u.unit_id = t.unit_id
         WHERE t.month = ANY(:months) AND t.category = :times_category AND {f.where_units()}"""  # noqa: S608 (fragments are constants; values are bound)
        params = f.params() | {"months": months, "times_category": f.category or readmodel_times.ALL}
        for k, kind, n, wall_lo, wall, working_lo, working in await session.execute(text(sql), params):
            found.add_spans((k, kind), n, (wall_lo - 1, wall), (working_lo - 1, working))  # 1-based in SQL
    for lo, hi in spans:
        sql = f"""
        SELECT {key} AS k, o.kind, {readmodel_times.bucket("o.wall_s")}, {readmodel_times.bucket("o.working_s")},
               count(*)::int FROM fb_rm_obligation o JOIN fb_rm_unit u ON u.unit_id = o.unit_id
         WHERE o.done_day >= :lo AND o.done_day < :hi AND o.wall_s IS NOT NULL AND o.working_s IS NOT NULL
           AND {f.where_units()}{f.category_clause("o")} GROUP BY 1, 2, 3, 4"""  # noqa: S608 (fragments are constants; values are bound)
        for k, kind, wall_bucket, working_bucket, n in await session.execute(
            text(sql), f.params() | {"lo": lo, "hi": hi}
        ):
            found.add_items((k, kind), n, wall_bucket, working_bucket)
    out: dict[str, dict[str, Any]] = {}
    for (k, kind), n, wall, working in found.totals():
        wall_median, wall_p90 = histogram.percentiles(wall[1], (0.5, 0.9), first=wall[0])
        working_median, working_p90 = histogram.percentiles(working[1], (0.5, 0.9), first=working[0])
        out.setdefault(k, {})[kind] = {
            "n": n, "wall_median": wall_median, "wall_p90": wall_p90,
            "working_median": working_median, "working_p90": working_p90,
        }  # fmt: skip
    return out


async def daily_series(session: AsyncSession, f: Filters) -> dict[date, dict[str, int]]:
    sql = f"""
    SELECT d.day, {SUMS} FROM fb_rm_daily d JOIN fb_rm_unit u ON u.unit_id = d.unit_id
     WHERE d.day >= :start AND d.day < :end AND {f.where_units()}{f.category_clause("d")}
     GROUP BY d.day ORDER BY d.day"""  # noqa: S608 (fragments are constants; values are bound)
    rows = await session.execute(text(sql), f.params())
    return {r._mapping["day"]: {c: int(r._mapping[c]) for c in COUNTERS} for r in rows}


async def overdue(session: AsyncSession, f: Filters, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Open complaints past a deadline (the earliest one each), longest overdue first. A
    resolve deadline does not run while the unit waits for the citizen's information."""
    sql = f"""
    SELECT * FROM (
      SELECT DISTINCT ON (o.complaint_id) o.complaint_id::text, o.assignment_id::text, o.cycle, o.kind, o.due,
             o.unit_id, u.name AS unit_name, u.district_id, o.category, o.breached_at,
             extract(epoch FROM CAST(:now AS timestamptz) - o.due)::float8 AS overdue_s
        FROM fb_rm_obligation o
        JOIN fb_rm_unit u ON u.unit_id = o.unit_id
        LEFT JOIN fb_rm_assignment a ON a.assignment_id = o.assignment_id
       WHERE o.pending AND o.due < :now AND {f.where_units()}{f.category_clause("o")}
         AND NOT (o.kind = 'resolve' AND a.awaiting_since IS NOT NULL
                  AND a.awaiting_since > coalesce(a.resumed_at, '-infinity'::timestamptz))
       ORDER BY o.complaint_id, o.due, o.kind) x
     ORDER BY x.due, x.complaint_id LIMIT :limit"""  # noqa: S608 (fragments are constants; values are bound)
    rows = await session.execute(text(sql), f.params() | {"now": now, "limit": limit})
    return [dict(r._mapping) for r in rows]


async def complaint_units(session: AsyncSession, complaint_id: str) -> list[dict[str, Any]]:
    """The units a complaint was assigned to (for access checks on its timeline)."""
    sql = """
    SELECT DISTINCT a.unit_id, u.district_id FROM fb_rm_assignment a
      LEFT JOIN fb_rm_unit u ON u.unit_id = a.unit_id WHERE a.complaint_id = CAST(:c AS uuid)"""
    return [dict(r._mapping) for r in await session.execute(text(sql), {"c": complaint_id})]


async def district_of(session: AsyncSession, unit_id: str) -> str | None:
    row = (
        await session.execute(text("SELECT district_id FROM fb_rm_unit WHERE unit_id = :u"), {"u": unit_id})
    ).first()
    return row[0] if row else None
