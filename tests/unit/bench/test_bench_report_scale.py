"""The report's sections for the parts at scale: each figure beside its goal, median (min–max)
over runs, and what a run did not measure shown as such."""

from __future__ import annotations

from typing import Any

from bench.plan import SMOKE
from bench.report_scale import figures, startup, timers


def _results(*runs: dict[str, Any]) -> dict[str, Any]:
    return {"plan": SMOKE.as_dict(), "runs": list(runs)}


def _timers_run(p99: float, small: float, large: float) -> dict[str, Any]:
    return {
        "timers": {
            "lag_ms": {"p50": 100.0, "p99": p99, "max": p99 + 50},
            "pending_small": 2000,
            "pending_large": 20000,
            "fired": 500,
            "not_fired": 0,
            "rss_small_mib": small,
            "rss_large_mib": large,
            "arm": {"timers": 3000, "timers_per_s": 3000.0, "seconds_per_100k": 33.3},
            "load_s": 0.5,
            "claim_plan": ["Limit", "  ->  Index Scan using ix_sla_timers_due on sla_timers"],
        }
    }


def test_timer_lag_is_the_median_over_runs_with_its_range_beside_the_goal() -> None:
    lines = timers(
        _results(_timers_run(400, 100, 101), _timers_run(600, 100, 104), _timers_run(500, 100, 102))
    )
    lag = next(line for line in lines if line.startswith("| firing lag"))
    assert "/ 500 (400–600) /" in lag
    assert lag.endswith("| p99 ≤ 1,000 ms |")
    growth = next(line for line in lines if line.startswith("| growth"))
    assert "2.0 (1.0–4.0) MiB" in growth
    assert "  ->  Index Scan using ix_sla_timers_due on sla_timers" in lines


def test_figures_report_the_size_reached_and_say_no_data_for_a_missing_read() -> None:
    run = {
        "figures": {"data": {"complaints": 5000}, "rankings": {"latency_ms": {"p50": 40.0, "p99": 90.0}}},
        "replay": {"records": 1950, "events_per_s": 212.0},
    }
    lines = figures(_results(run))
    assert any("| 5,000 | 10,000,000 |" in line for line in lines)
    assert any("rankings?period=month` p50 / p99 | 40.0 / 90.0 ms" in line for line in lines)
    assert any("metrics/units?period=month` p50 / p99 | no data / no data ms" in line for line in lines)
    assert any("1,950 / 212 events/s" in line for line in lines)


def test_start_up_lists_only_the_starts_that_were_measured() -> None:
    run = {
        "startup": {"services_only": {"services_s": 8.7, "service_ready_s": {"intake": 7.1, "routing": 8.5}}}
    }
    rows = [line for line in startup(_results(run)) if line.startswith("| ") and "---" not in line][1:]
    assert rows == [
        "| the three services only (smoke) | no data | no data | no data | 8.7 | 7.1 | 8.5 | no data |"
    ]
