"""Percentiles and aggregation over runs: the arithmetic every figure of the report rests on."""

from __future__ import annotations

import pytest

from bench.stats import dig, distribution, percentile, ratio, spread


def test_nearest_rank_percentile_picks_a_value_that_occurred() -> None:
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7.0
    assert percentile([1, 2, 3, 4], 50) == 2  # the smallest with at least half at or below it


def test_percentile_of_nothing_is_an_error_not_zero() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_distribution_sorts_and_reports_count_and_max() -> None:
    d = distribution([30.0, 10.0, 20.0])
    assert d == {"count": 3, "p50": 20.0, "p95": 30.0, "p99": 30.0, "max": 30.0}
    assert distribution([]) is None


def test_spread_is_median_and_range_over_the_runs_that_have_the_figure() -> None:
    assert spread([3.0, 1.0, 2.0]) == {"median": 2.0, "min": 1.0, "max": 3.0, "n": 3}
    assert spread([4.0, None]) == {"median": 4.0, "min": 4.0, "max": 4.0, "n": 1}
    assert spread([None, None]) is None


def test_dig_follows_dotted_paths_and_gives_none_for_gaps() -> None:
    tree = {"a": {"b": [{"c": 5}], "flag": True, "none": None}}
    assert dig(tree, "a.b.0.c") == 5.0
    assert dig(tree, "a.b.1.c") is None
    assert dig(tree, "a.missing") is None
    assert dig(tree, "a.none") is None
    assert dig(tree, "a.flag") is None  # a boolean is not a measurement


def test_ratio_without_a_denominator_is_no_data() -> None:
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(3.0, 0.0) is None
    assert ratio(None, 2.0) is None
    assert ratio(3.0, None) is None
