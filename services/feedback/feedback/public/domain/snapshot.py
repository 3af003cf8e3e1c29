"""A month's public figures as one document (stations and districts, ranked), its canonical
text and SHA-256. Pure: the counters come in, the document goes out.

Rates come from feedback.domain.metrics and ranks from feedback.domain.ranking, exactly as
supervision sees them; only what may be shown differs (suppression.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from feedback.domain.audit_chain import canonical
from feedback.domain.metrics import Rate, rates
from feedback.domain.ranking import Ranked, rank
from feedback.public.domain import suppression as s
from feedback.public.domain.months import month_period, month_text

Counts = Mapping[str, int]
DISTRICT = "district"


def _row(identity: dict[str, Any], counts: Counts, min_count: int) -> tuple[dict[str, Any], dict[str, Rate]]:
    raw = rates(counts)
    row = {
        **identity,
        "received": s.public_count(counts.get("received", 0), min_count),
        "rates": {name: s.public_rate(raw[name], min_count) for name in s.PUBLIC_RATES},
    }
    return row, raw


def _rank(rows: list[tuple[dict[str, Any], dict[str, Rate]]], weights: Mapping[str, float]) -> None:
    ranked = [Ranked(key=row["unit_id"] or "", rates=s.masked_for_ranking(raw, row["rates"]), extra={"row": row})
              for row, raw in rows]  # fmt: skip
    rank(ranked, weights)
    for r in ranked:
        r.extra["row"].update(score=r.score, rank=r.rank, unranked_because=r.missing)


def _withhold_revealing(
    districts: list[dict[str, Any]], stations: list[dict[str, Any]], min_count: int
) -> None:
    for d in districts:
        members = [u for u in stations if (u["district_id"] or "") == (d["unit_id"] or "")]
        for figure in s.FIGURES:
            shown = d["received"] if figure == "received" else d["rates"][figure]
            total = s.base_of(shown)
            parts = [
                s.base_of(u["received"] if figure == "received" else u["rates"][figure]) for u in members
            ]
            if total is not None and s.remainder_is_small(total, [p for p in parts if p], min_count):
                shown.clear()
                shown["status"] = s.WITHHELD


def build_figures(
    *,
    month: date,
    units: Sequence[Mapping[str, Any]],
    unit_counts: Mapping[str, Counts],
    district_counts: Mapping[str, Counts],
    weights: Mapping[str, float],
    min_count: int,
) -> dict[str, Any]:
    """`units`: unit_id, name, kind, district_id, district_name; counts keyed by unit id and
    by district id ('' for units without a district)."""
    stations = [
        _row({"unit_id": u["unit_id"], "unit_name": u["name"], "unit_kind": u["kind"],
              "district_id": u["district_id"], "district_name": u["district_name"]},
             unit_counts.get(u["unit_id"], {}), min_count)
        for u in sorted(units, key=lambda u: u["unit_id"])
    ]  # fmt: skip
    names = {u["district_id"] or "": u["district_name"] for u in units if u["district_name"]}
    districts = [
        _row({"unit_id": key or None, "unit_name": names.get(key), "unit_kind": DISTRICT,
              "district_id": key or None, "district_name": names.get(key)}, counts, min_count)
        for key, counts in sorted(district_counts.items())
    ]  # fmt: skip
    _withhold_revealing([row for row, _ in districts], [row for row, _ in stations], min_count)
    _rank(stations, weights)
    _rank(districts, weights)
    return {
        "month": month_text(month),
        "period": month_period(month).as_dict(),
        "min_count": min_count,
        "weights": dict(weights),
        "stations": [row for row, _ in stations],
        "districts": [row for row, _ in districts],
    }


def canonical_text(figures: Mapping[str, Any]) -> str:
    return canonical(dict(figures))


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
