"""The read model's counters are kept by difference: the change of a batch per day bucket
and per month, from what its complaints counted before and after its writes."""

from __future__ import annotations

from datetime import date

import pytest

from feedback.adapters.readmodel_counting import COMPLAINT_SOURCES, SOURCES, Source, counts
from feedback.adapters.readmodel_rollup import by_month, change
from feedback.adapters.readmodel_tables import COUNTERS


def vec(**counters: int) -> tuple[int, ...]:
    return tuple(counters.get(c, 0) for c in COUNTERS)


def test_change_is_after_minus_before_and_leaves_out_what_did_not_move() -> None:
    d1, d2 = date(2026, 3, 2), date(2026, 3, 3)
    before = {("u", "noise", d1): vec(assignments=3, ack_counted=1), ("u", "noise", d2): vec(assignments=1)}
    after = {("u", "noise", d1): vec(assignments=3, ack_counted=2, ack_met=1), ("u", "noise", d2): vec(assignments=1),
             ("u", "traffic", d2): vec(escalations=1)}  # fmt: skip
    assert change(before, after) == {
        ("u", "noise", d1): vec(ack_counted=1, ack_met=1),
        ("u", "traffic", d2): vec(escalations=1),
    }


def test_a_fact_that_moves_day_is_taken_off_one_bucket_and_added_to_the_other() -> None:
    d1, d2 = date(2026, 3, 31), date(2026, 4, 1)
    before = {("u", "noise", d1): vec(resolve_counted=1)}
    after = {("u", "noise", d2): vec(resolve_counted=1)}
    days = change(before, after)
    assert days == {("u", "noise", d1): vec(resolve_counted=-1), ("u", "noise", d2): vec(resolve_counted=1)}
    assert by_month(days) == {
        ("u", "noise", date(2026, 3, 1)): vec(resolve_counted=-1),
        ("u", "noise", date(2026, 4, 1)): vec(resolve_counted=1),
    }


def test_a_move_inside_one_month_leaves_the_month_alone() -> None:
    days = change(
        {("u", "c", date(2026, 3, 2)): vec(verdicts=1)}, {("u", "c", date(2026, 3, 9)): vec(verdicts=1)}
    )
    assert len(days) == 2 and by_month(days) == {}


def test_months_sum_their_days_per_unit_and_category() -> None:
    days = {
        ("u", "c", date(2026, 3, 2)): vec(assignments=2),
        ("u", "c", date(2026, 3, 5)): vec(assignments=1, received=1),
        ("v", "c", date(2026, 3, 5)): vec(assignments=4),
    }
    assert by_month(days) == {
        ("u", "c", date(2026, 3, 1)): vec(assignments=3, received=1),
        ("v", "c", date(2026, 3, 1)): vec(assignments=4),
    }


def test_every_counter_is_fed_by_some_source_and_an_unknown_one_is_refused() -> None:
    assert {c for s in SOURCES for c in s.counters} == set(COUNTERS)
    with pytest.raises(ValueError, match="unknown counters"):
        counts([Source("fb_rm_assignment", "start_day", {"no_such_counter": "true"})], lambda s: s.table)
    sql = counts(COMPLAINT_SOURCES, lambda s: f"{s.table} x WHERE x.complaint_id = ANY(:ids)")
    assert sql.count("UNION ALL") == len(COMPLAINT_SOURCES) - 1
    assert all(f"sum({c})::int AS {c}" in sql for c in COUNTERS)
