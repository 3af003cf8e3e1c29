"""The harness fails (exit 1) when a part produced no numbers, or a smoke run lost a filing."""

from __future__ import annotations

from typing import Any

from bench.checks import problems
from bench.plan import FULL, SMOKE


def _run(
    *, accepted: int = 150, missing: int = 0, inbox_per_s: float | None = 50.0, not_fired: int = 0
) -> dict[str, Any]:
    return {
        "timers": {
            "lag_ms": {"p99": 400.0},
            "rss_large_mib": 120.0,
            "arm": {"timers_per_s": 2000.0},
            "not_fired": not_fired,
        },
        "replay": {"events_per_s": 300.0},
        "figures": {"rankings": {"latency_ms": {"p99": 80.0}}, "unit_metrics": {"latency_ms": {"p99": 90.0}}},
        "startup": {"services_only": {"services_s": 9.0}},
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


def test_a_due_timer_that_never_fired_fails_a_smoke_run() -> None:
    assert problems({"mode": "smoke", "runs": [_run(not_fired=3)]}) == ["run 1: 3 due SLA timers never fired"]


def test_a_whole_stack_start_up_needs_its_own_figure() -> None:
    run = _run()
    run["startup"] = {"fresh": {"total_s": 40.0}}
    assert problems({"mode": "full", "runs": [run]}) == [
        "run 1: start-up: services to ready missing (startup.fresh.services_s)"
    ]


def test_no_finished_run_is_a_failure() -> None:
    assert problems({"mode": "smoke", "runs": []}) == ["no run finished"]


def test_plans_draw_enough_distinct_bodies_for_their_largest_step() -> None:
    assert FULL.bodies_needed() > max(FULL.rates) * FULL.step_s
    assert SMOKE.bodies_needed() > SMOKE.capacity_rate * SMOKE.capacity_s
    assert SMOKE.runs == 1
    assert FULL.runs == 3
