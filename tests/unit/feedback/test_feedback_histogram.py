"""The time histograms: bucket rule, the error bound docs/metrics.md states, and medians
and p90s against PostgreSQL's percentile_cont computed exactly (statistics.quantiles is
not the same interpolation, so the exact reference is written out here)."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest

from feedback.domain import histogram as h


def exact_percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


def histogram_of(values: list[float]) -> list[int]:
    counts = h.empty()
    for v in values:
        counts[h.bucket_of(v)] += 1
    return counts


def test_buckets_are_log_spaced_and_below_one_second_is_bucket_zero() -> None:
    assert h.bucket_of(0) == 0
    assert h.bucket_of(0.99) == 0
    assert h.bucket_of(1) == 1
    assert h.bucket_of(1.09) == 1
    assert h.bucket_of(1.1 * 1.0001) == 2
    assert h.bucket_of(1e12) == h.BUCKETS - 1


def test_every_value_reads_within_the_stated_relative_error() -> None:
    assert h.RELATIVE_ERROR < 0.05
    rng = random.Random(7)
    for _ in range(20_000):
        x = math.exp(rng.uniform(0, math.log(3e7)))  # 1 s .. about a year
        assert abs(h.value_of(h.bucket_of(x)) - x) <= h.RELATIVE_ERROR * x * (1 + 1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_median_and_p90_within_the_bound_of_percentile_cont(seed: int) -> None:
    rng = random.Random(seed)
    values = [rng.uniform(1, 691_200) for _ in range(rng.randint(1, 3000))]
    counts = histogram_of(values)
    for fraction in (0.5, 0.9):
        exact = exact_percentile(values, fraction)
        approx = h.percentile(counts, fraction)
        assert approx is not None
        assert abs(approx - exact) <= h.RELATIVE_ERROR * exact * (1 + 1e-9)


def test_interpolates_between_ranks_like_percentile_cont() -> None:
    counts = histogram_of([1800, 5400])
    low, high = h.value_of(h.bucket_of(1800)), h.value_of(h.bucket_of(5400))
    assert h.percentile(counts, 0.5) == pytest.approx((low + high) / 2)
    assert h.percentile(counts, 0.9) == pytest.approx(low + 0.9 * (high - low))
    assert h.percentile(counts, 0.5) == pytest.approx(3600, rel=h.RELATIVE_ERROR)


def test_no_items_is_no_value() -> None:
    assert h.percentile(h.empty(), 0.5) is None


def test_a_period_splits_into_whole_months_and_the_days_around_them() -> None:
    d = date
    assert h.split_by_month(d(2026, 3, 1), d(2026, 4, 1)) == ([d(2026, 3, 1)], [])
    assert h.split_by_month(d(2026, 3, 2), d(2026, 3, 9)) == ([], [(d(2026, 3, 2), d(2026, 3, 9))])
    assert h.split_by_month(d(2025, 11, 20), d(2026, 2, 3)) == (
        [d(2025, 12, 1), d(2026, 1, 1)],
        [(d(2025, 11, 20), d(2025, 12, 1)), (d(2026, 2, 1), d(2026, 2, 3))],
    )
    assert h.split_by_month(d(2026, 3, 31), d(2026, 4, 2)) == ([], [(d(2026, 3, 31), d(2026, 4, 2))])
    assert h.split_by_month(d(2026, 3, 1), d(2026, 3, 1)) == ([], [])


def test_several_fractions_at_once_equal_one_at_a_time() -> None:
    counts = histogram_of([5, 50, 500, 5000, 50_000])
    assert h.percentiles(counts, (0.5, 0.9)) == [h.percentile(counts, 0.5), h.percentile(counts, 0.9)]
    assert h.percentiles(h.empty(), (0.5, 0.9)) == [None, None]


def test_a_span_starting_at_a_later_bucket_reads_the_same() -> None:
    counts = histogram_of([300, 900, 2700, 8100])
    first = h.bucket_of(300)
    assert h.percentiles(counts[first:], (0.5, 0.9), first=first) == h.percentiles(counts, (0.5, 0.9))
