"""Composite score and ranking: a unit with no data in a weighted component is ranked
separately (listed with what it lacks), never scored as if the component were zero."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from feedback.domain.metrics import Rate


@dataclass
class Ranked:
    key: str
    rates: Mapping[str, Rate]
    score: float | None = None
    rank: int | None = None
    missing: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def composite_score(
    rates: Mapping[str, Rate], weights: Mapping[str, float]
) -> tuple[float | None, list[str]]:
    """Weighted mean of the components, in points (0..100); None and the missing ones if any
    component with a positive weight has no data."""
    used = {name: w for name, w in weights.items() if w > 0}
    missing = [name for name in used if rates[name].value is None]
    if missing:
        return None, missing
    total = sum(used.values())
    score = sum(w * (rates[name].value or 0.0) for name, w in used.items()) / total
    return round(100 * score, 4), []


def rank(rows: Sequence[Ranked], weights: Mapping[str, float]) -> tuple[list[Ranked], list[Ranked]]:
    """(ranked best first, with competition ranks 1,2,2,4; unranked, by key)."""
    ranked: list[Ranked] = []
    unranked: list[Ranked] = []
    for row in rows:
        row.score, row.missing = composite_score(row.rates, weights)
        (ranked if row.score is not None else unranked).append(row)
    ranked.sort(key=lambda r: (-(r.score or 0.0), r.key))
    for position, row in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        row.rank = previous.rank if previous is not None and previous.score == row.score else position
    unranked.sort(key=lambda r: r.key)
    return ranked, unranked
