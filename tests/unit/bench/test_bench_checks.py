"""The harness fails (exit 1) when a part produced no numbers, or a smoke run lost a filing."""

from __future__ import annotations

from typing import Any

from bench.checks import problems
from bench.plan import FULL, SMOKE


def _run(*, accepted: int = 150, missing: int = 0, inbox_per_s: float | None = 50.0) -> dict[str, Any]:
    return {
        "kafka_producer": {"records_per_s": 9000.0},
        "pgbench": {"tps": 700.0},
        "bare": {"capacity": {"accepted_per_s": 350.0}},
        "intake_alone": {"accepted_per_s": 300.0},
        "filing": {
            "50": {
                "http": {"planned": 150, "accepted": accepted, "first_error": "HTTP 503"},
                "inbox": {
                    "inbox_per_s": inbox_per_s,
                    "latency_ms": {"p99": 90.0},
                    "missing": missing,
                    "armed": 150 - missing,
                    "reached_inbox": 150 - missing,
                },
            }
        },
    }


def test_a_complete_smoke_run_passes() -> None:
    assert problems({"mode": "smoke", "runs": [_run()]}) == []


def test_a_part_without_numbers_fails_the_run() -> None:
    found = problems({"mode": "full", "runs": [_run(inbox_per_s=None)]})
    assert found == ["run 1: filing -> inbox at 50/s: inbox rate missing (filing.50.inbox.inbox_per_s)"]


def test_a_smoke_run_that_loses_or_refuses_filings_fails() -> None:
    found = problems({"mode": "smoke", "runs": [_run(accepted=149, missing=2)]})
    assert any("149 of 150 filings accepted (first error: HTTP 503)" in p for p in found)
    assert any("2 accepted complaints never reached an inbox" in p for p in found)


def test_no_finished_run_is_a_failure() -> None:
    assert problems({"mode": "smoke", "runs": []}) == ["no run finished"]


def test_plans_draw_enough_distinct_bodies_for_their_largest_step() -> None:
    assert FULL.bodies_needed() > max(FULL.rates) * FULL.step_s
    assert SMOKE.bodies_needed() > SMOKE.capacity_rate * SMOKE.capacity_s
    assert SMOKE.runs == 1
    assert FULL.runs == 3
