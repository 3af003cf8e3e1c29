"""Supervision reads: per-unit (district, city) figures, one unit's daily series, the
ranking, the overdue list. Reads only: nothing here commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from feedback.adapters import metrics_queries as q
from feedback.adapters.readmodel_tables import COUNTERS
from feedback.domain.metrics import rates, with_breaches
from feedback.domain.ranking import Ranked, rank
from huiyin.db import UnitOfWork

NO_TIMES = "no action of this kind in the period"


def _times(by_kind: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for kind, label in (("ack", "acknowledge"), ("resolve", "resolve")):
        row = by_kind.get(kind)
        for clock in ("wall", "working"):
            name = f"time_to_{label}_{clock}_s"
            if row is None:
                out[name] = {"n": 0, "median": None, "p90": None, "reason": NO_TIMES}
            else:
                out[name] = {"n": row["n"], "median": row[f"{clock}_median"], "p90": row[f"{clock}_p90"]}
    return out


def figures(counts: dict[str, int] | None, times_by_kind: dict[str, Any] | None) -> dict[str, Any]:
    c = dict.fromkeys(COUNTERS, 0) | (counts or {})
    return {
        "counts": with_breaches(c),
        "rates": {name: r.as_dict() for name, r in rates(c).items()},
        "times": _times(times_by_kind or {}),
    }


async def unit_metrics(uow: UnitOfWork, f: q.Filters, group: q.Grouping = "unit") -> list[dict[str, Any]]:
    counts = await q.counts(uow.session, f, group)
    times = await q.times(uow.session, f, group)
    if group == "unit":
        return [
            {"unit": _unit(u), **figures(counts.get(u["unit_id"]), times.get(u["unit_id"]))}
            for u in await q.units(uow.session, f)
        ]
    keys = sorted(set(counts) | set(times)) if group == "district" else [""]
    label = "district_id" if group == "district" else "city"
    return [{label: k or None, **figures(counts.get(k), times.get(k))} for k in keys]


async def unit_detail(uow: UnitOfWork, f: q.Filters) -> dict[str, Any] | None:
    found = await q.units(uow.session, f)
    if not found:
        return None
    rows = await unit_metrics(uow, f)
    series = await q.daily_series(uow.session, f)
    daily = []
    for day in f.period.days():
        c = series.get(day) or dict.fromkeys(COUNTERS, 0)
        daily.append(
            {
                "day": day.isoformat(),
                "counts": with_breaches(c),
                "rates": {n: r.as_dict() for n, r in rates(c).items()},
            }
        )
    return {**rows[0], "daily": daily}


async def rankings(uow: UnitOfWork, f: q.Filters, weights: dict[str, float]) -> dict[str, Any]:
    counts = await q.counts(uow.session, f, "unit")
    rows = []
    for u in await q.units(uow.session, f):
        c = counts.get(u["unit_id"]) or dict.fromkeys(COUNTERS, 0)
        rows.append(
            Ranked(key=u["unit_id"], rates=rates(c), extra={"unit": _unit(u), "counts": with_breaches(c)})
        )
    ranked, unranked = rank(rows, weights)

    def show(r: Ranked) -> dict[str, Any]:
        return {
            "rank": r.rank,
            "score": r.score,
            **r.extra,
            "rates": {name: r.rates[name].as_dict() for name in r.rates},
            "missing": r.missing,
        }

    return {
        "weights": weights,
        "ranked": [show(r) for r in ranked],
        # No data in a weighted component: listed apart, never scored as if it were zero.
        "unranked": [show(r) for r in unranked],
    }


async def overdue(uow: UnitOfWork, f: q.Filters, now: datetime, limit: int) -> list[dict[str, Any]]:
    return await q.overdue(uow.session, f, now, limit)


def _unit(u: dict[str, Any]) -> dict[str, Any]:
    return {k: u[k] for k in ("unit_id", "name", "kind", "district_id", "district_name")}
