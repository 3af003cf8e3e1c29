"""Percentiles and run-to-run aggregation: pure functions, no I/O."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from typing import Any

PERCENTILES = (50, 95, 99)


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p % of the values at or below it."""
    if not sorted_values:
        raise ValueError("percentile of no values")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def distribution(values: Iterable[float]) -> dict[str, float | int] | None:
    """count, p50/p95/p99 and max of `values` (None when there are none: no data is not 0)."""
    ordered = sorted(values)
    if not ordered:
        return None
    out: dict[str, float | int] = {"count": len(ordered)}
    for p in PERCENTILES:
        out[f"p{p}"] = percentile(ordered, p)
    out["max"] = ordered[-1]
    return out


def spread(values: Sequence[float | None]) -> dict[str, float] | None:
    """Median, min and max over runs; runs without the figure are left out."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return {"median": statistics.median(present), "min": min(present), "max": max(present), "n": len(present)}


def dig(tree: Any, path: str) -> float | None:
    """The number at a dotted `path` of nested dicts (list items by index), or None."""
    node = tree
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
        if node is None:
            return None
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator
