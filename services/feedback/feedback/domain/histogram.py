"""Times as fixed log-spaced histograms (docs/metrics.md, "Times"), so a period's median
and p90 come from summed bucket counts instead of a sort over every action.

Bucket 0 holds values below 1 s; bucket i ≥ 1 holds [γ^(i-1), γ^i). A bucket reads as
2·γ^i / (γ + 1), which is within (γ - 1)/(γ + 1) of every value in it: 4.76 % for γ = 1.1.
The last bucket also holds everything above (γ^(BUCKETS-2) s is about five years).
The SQL that files values into buckets (adapters/readmodel_times.py) uses the same rule.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from itertools import accumulate

GAMMA = 1.1
BUCKETS = 200
RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1)


def bucket_of(seconds: float) -> int:
    if seconds < 1:
        return 0
    return min(BUCKETS - 1, 1 + math.floor(math.log(seconds) / math.log(GAMMA)))


def value_of(bucket: int) -> float:
    """The value a bucket stands for (bucket 0: 0 s, off by less than a second)."""
    if bucket == 0:
        return 0.0
    return 2 * GAMMA**bucket / (GAMMA + 1)


def empty() -> list[int]:
    return [0] * BUCKETS


def percentile(counts: Sequence[int], fraction: float) -> float | None:
    """Like PostgreSQL's percentile_cont over the values the buckets stand for: the value at
    rank r = fraction·(n-1), interpolated linearly between ranks ⌊r⌋ and ⌈r⌉. None when empty."""
    return percentiles(counts, (fraction,))[0]


def percentiles(counts: Sequence[int], fractions: Sequence[float], first: int = 0) -> list[float | None]:
    """`percentile` for several fractions, summing the buckets once. `counts` may start at
    bucket `first` (a span of a histogram whose buckets below it are empty)."""
    cumulative = list(accumulate(counts))
    n = cumulative[-1] if cumulative else 0
    if n == 0:
        return [None for _ in fractions]
    out: list[float | None] = []
    for fraction in fractions:
        rank = fraction * (n - 1)
        low, high = math.floor(rank), math.ceil(rank)
        at_low, at_high = _value_at(cumulative, low, first), _value_at(cumulative, high, first)
        out.append(at_low + (rank - low) * (at_high - at_low))
    return out


def _value_at(cumulative: Sequence[int], rank: int, first: int) -> float:
    """The value of the rank-th smallest item (0-based): the first bucket holding more."""
    bucket = bisect_right(cumulative, rank)
    if bucket >= len(cumulative):
        raise ValueError(f"rank {rank} beyond {cumulative[-1]} items")
    return value_of(first + bucket)


def split_by_month(start: date, end: date) -> tuple[list[date], list[tuple[date, date]]]:
    """The whole calendar months inside [start, end) (their first days), and the day ranges
    [lo, hi) left over before and after them: the monthly rows serve the first, the
    facts the second."""
    first = start if start.day == 1 else _next_month(start)
    months, cursor = [], first
    while _next_month(cursor) <= end:
        months.append(cursor)
        cursor = _next_month(cursor)
    if not months:
        return [], [(start, end)] if start < end else []
    rest = [(start, months[0]), (_next_month(months[-1]), end)]
    return months, [(lo, hi) for lo, hi in rest if lo < hi]


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)
