"""bench.run's options: which parts run in which run (--parts, --scale-runs), the raw file
kept after every part, and the report of a raw file whose parts at scale ran only once."""

from __future__ import annotations

import copy
import json
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest

from bench import run as bench_run
from bench.checks import problems
from bench.context import Context
from bench.plan import FULL, PARTS, SMOKE, parts_for_run, schedule, steps
from bench.report import render, summary_lines

# --- parsing ---------------------------------------------------------------------------


def test_parts_are_parsed_and_run_in_their_fixed_order() -> None:
    args = bench_run._args(["--full", "--parts", "startup, filing,baselines", "--scale-runs", "1"])
    assert args.parts == ("baselines", "filing", "startup")
    assert args.scale_runs == 1
    assert bench_run._args(["--smoke"]).parts == PARTS
    assert bench_run._args(["--smoke"]).scale_runs is None


def test_an_unknown_part_is_an_argparse_error_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        bench_run._args(["--full", "--parts", "filing,ladder"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "unknown part(s) 'ladder'" in err
    assert "baselines,intake_alone,filing,timers,replay,figures,hotspots,startup" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--full", "--parts", ""],
        ["--full", "--scale-runs", "0"],
        ["--full", "--runs", "-1"],
        ["--report-from", "x.json", "--parts", "filing"],
        ["--report-from", "x.json", "--full"],
    ],
)
def test_bad_option_combinations_exit(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        bench_run._args(argv)


# --- which parts run in which run ------------------------------------------------------


def test_scale_parts_run_only_in_the_first_scale_runs() -> None:
    assert parts_for_run(PARTS, 1, 1) == PARTS
    assert parts_for_run(PARTS, 2, 1) == ("baselines", "intake_alone", "filing")
    assert parts_for_run(PARTS, 3, 2) == ("baselines", "intake_alone", "filing")
    assert parts_for_run(PARTS, 3, None) == PARTS  # default: every run
    assert parts_for_run(("filing", "timers"), 2, 5) == ("filing", "timers")


def test_runs_with_nothing_to_measure_are_not_scheduled() -> None:
    assert schedule(3, ("timers", "startup"), 1) == [(1, ("timers", "startup"))]
    assert schedule(2, ("baselines", "hotspots"), 1) == [(1, ("baselines", "hotspots")), (2, ("baselines",))]


def test_the_progress_bar_counts_a_services_start_only_where_intake_alone_does_not_start_them() -> None:
    ladder = 4 * len(SMOKE.rates)  # settling, load, reading, catching up: per rate
    assert steps(SMOKE, ("filing",)) == ladder + 1
    assert steps(SMOKE, ("intake_alone", "filing")) == 3 + ladder
    assert steps(SMOKE, ("baselines",)) == 3 + len(SMOKE.bare_rates)  # services stopped for them
    assert steps(FULL, ("hotspots",)) == 2 * len(FULL.hotspots_stored) + 1


# --- keeping what was measured ---------------------------------------------------------


def test_the_raw_file_is_replaced_whole(tmp_path: Path) -> None:
    raw = tmp_path / "results" / "20260101T000000Z-full.json"
    bench_run.save_json(raw, {"runs": [{"parts_done": ["baselines"]}]})
    bench_run.save_json(raw, {"runs": [{"parts_done": ["baselines", "filing"]}], "mode": "全"})
    assert json.loads(raw.read_text()) == {"runs": [{"parts_done": ["baselines", "filing"]}], "mode": "全"}
    with pytest.raises(TypeError):  # a write that fails half-way leaves the last good version
        bench_run.save_json(raw, {"runs": [], "bad": object()})
    assert json.loads(raw.read_text())["mode"] == "全"
    assert [p.name for p in raw.parent.iterdir()] == [raw.name]  # no temp file left behind


class _Stack:
    """The services' processes as one_run sees them (pids), without starting any."""

    def __init__(self) -> None:
        self.running: set[str] = set()
        self.log: list[str] = []

    def service_pid(self, service: str) -> int | None:
        return 1 if service in self.running else None

    def stop_service(self, service: str) -> None:
        self.running.discard(service)
        self.log.append(f"stop {service}")

    def start_service(self, service: str) -> int:
        self.running.add(service)
        self.log.append(f"start {service}")
        return 1

    def wait_ready(self, services: tuple[str, ...], timeout: float) -> None:
        assert set(services) <= self.running


def test_each_part_is_saved_as_it_finishes_and_a_failing_part_is_recorded_and_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def timers_fail(ctx: Context, n: int) -> dict[str, Any]:
        raise RuntimeError("routing is not running")

    monkeypatch.setattr(
        bench_run,
        "RUNNERS",
        {
            "baselines": lambda ctx, n: {"pgbench": {"tps": 700.0 + n}},
            "filing": lambda ctx, n: {
                "filing": {"50": {"seen": sorted(ctx.stack.running)}},
                "skipped_rates": [],
            },
            "timers": timers_fail,
        },
    )
    stack = _Stack()
    stack.running = {"intake", "routing", "feedback"}  # left running by an earlier run
    ctx = Context(stack, SMOKE, [], Path("b"), Path("w"), {}, lambda name, s: nullcontext())  # type: ignore[arg-type]
    run: dict[str, Any] = {"run": 2, "parts_done": []}
    saved: list[dict[str, Any]] = []
    with pytest.raises(RuntimeError, match="routing is not running"):
        bench_run.one_run(
            ctx, run, ("baselines", "filing", "timers"), lambda: saved.append(copy.deepcopy(run))
        )
    assert [s["parts_done"] for s in saved] == [["baselines"], ["baselines", "filing"]]
    assert saved[0]["pgbench"] == {"tps": 702.0}
    assert run["failed"] == {"part": "timers", "error": "RuntimeError: routing is not running"}
    # baselines ran with the services stopped; the ladder found all three started for it
    assert stack.log[:3] == ["stop intake", "stop routing", "stop feedback"]
    assert run["filing"]["50"]["seen"] == ["feedback", "intake", "routing"]


# --- the report and the checks of a raw file -------------------------------------------


def _step(p99: float) -> dict[str, Any]:
    return {
        "http": {
            "offered_per_s": 50.0, "accepted_per_s": 50.0, "planned": 150, "accepted": 150, "errors": 0,
            "dropped": 0, "late_sends": 0, "first_error": None, "latency_ms": {"p99": 20.0},
        },
        "inbox": {
            "inbox_per_s": 50.0, "missing": 0, "armed": 150, "reached_inbox": 150,
            "latency_ms": {"p50": 40.0, "p95": 80.0, "p99": p99, "max": p99 + 10},
            "latency_routed_at_ms": {"p50": 30.0}, "handler_to_commit_ms": {"p50": 5.0},
        },
        "backlog_at_end": {"outbox_pending": {"intake": 0}, "consumer_lag": {"routing": 0}},
        "cpu_s": {"machine_busy_share": 0.5, "outside_share": 0.1},
        "cpu_ms_per_complaint": {"intake": 2.0, "routing": 3.0},
    }  # fmt: skip


def _run(n: int, tps: float) -> dict[str, Any]:
    return {
        "run": n,
        "parts_done": ["baselines", "intake_alone", "filing"],
        "kafka_producer": {"records_per_s": 9000.0, "latency_p99_ms": 30.0},
        "pgbench": {"tps": tps, "latency_avg_ms": 3.0},
        "bare": {
            "capacity": {"accepted_per_s": 350.0, "latency_ms": {"p99": 900.0}},
            "steps": {"50": {"latency_ms": {"p99": 10.0}}},
        },
        "intake_alone": {"accepted_per_s": 300.0},
        "filing": {"50": _step(100.0 * n)},
        "skipped_rates": [],
    }


def _scale_parts() -> dict[str, Any]:
    return {
        "timers": {
            "lag_ms": {"p50": 100.0, "p99": 432.0, "max": 450.0},
            "pending_small": 2000, "pending_large": 20000, "fired": 500, "not_fired": 0,
            "rss_small_mib": 100.0, "rss_large_mib": 101.0, "load_s": 0.5,
            "arm": {"timers": 3000, "timers_per_s": 3000.0, "seconds_per_100k": 33.3},
            "claim_plan": ["Limit", "  ->  Index Scan using ix_sla_timers_due on sla_timers"],
        },
        "replay": {"records": 3000, "events_per_s": 187.0},
        "figures": {
            "data": {"complaints": 5000, "rows": {}, "facts_s": 1.0, "rollup_s": 1.0},
            "rankings": {"latency_ms": {"p50": 10.0, "p99": 77.0}},
            "unit_metrics": {"latency_ms": {"p50": 10.0, "p99": 88.0}},
        },
        "hotspots": {"by_stored": {str(s): {"complaints_per_s": 280.0, "key_rows": 10} for s in SMOKE.hotspots_stored}},
        "startup": {"services_only": {"services_s": 12.6, "service_ready_s": {"intake": 9.0}}},
    }  # fmt: skip


def _results(
    runs: list[dict[str, Any]], *, parts: tuple[str, ...] = PARTS, scale_runs: int | None = 1
) -> dict[str, Any]:
    return {
        "mode": "full", "command": "python -m bench.run --full --scale-runs 1",
        "started_at": "2026-11-23T06:23:16+00:00", "finished_at": "2026-11-23T07:00:00+00:00",
        "machine": {"cpu_model": "cpu", "nproc": 2, "memory_gib": 8, "python": "3.11", "kafka": "4",
                    "postgresql": "PostgreSQL 17", "java": "java 21", "go": "go1.23"},
        "background_load": {"busy_share": 0.1, "loadavg_1m": 0.5},
        "plan": {**SMOKE.as_dict(), "runs": 3}, "parts": list(parts), "scale_runs": scale_runs,
        "workers": {"intake": 1, "routing": 1, "feedback": 1}, "generator": "go", "runs": runs,
    }  # fmt: skip


def _scale_once() -> dict[str, Any]:
    first = _run(1, 600.0)
    first.update(_scale_parts())
    first["parts_done"] = list(PARTS)
    return _results([first, _run(2, 800.0), _run(3, 700.0)])


def test_the_report_gives_each_part_the_runs_it_is_the_median_of(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    render(_scale_once(), out, tmp_path / "raw.json")
    md = out.read_text()
    assert (
        "| runs per part | baselines 3, intake alone 3, filing ladder 3, SLA timers 1, rebuild by replay 1, "
        in md
    )
    assert "*baselines: median (min–max) over 3 runs (1, 2, 3).*" in md
    assert "*SLA timers: measured once (run 1), each cell its value.*" in md
    assert "*figures, rebuild by replay: measured once (run 1), each cell its value.*" in md
    assert "*start-up: measured once (run 1), each cell its value.*" in md
    assert "| 700 (600–800) tps |" in md  # pgbench, all three runs
    lag = next(line for line in md.splitlines() if line.startswith("| firing lag"))
    assert "| 100 / 432 / 450 ms |" in lag  # one run: the value, no range
    assert "Index Scan using ix_sla_timers_due" in md
    assert (tmp_path / "report-latency.png").stat().st_size > 0
    summary = "\n".join(summary_lines(_scale_once()))
    assert "pgbench: 700 (600–800) tps" in summary
    assert "rebuild by replay: 187 events/s" in summary


def test_scale_parts_left_out_of_later_runs_are_not_called_missing() -> None:
    assert problems(_scale_once()) == []


def test_unselected_parts_are_not_called_missing_and_not_rendered(tmp_path: Path) -> None:
    runs = [_run(1, 700.0)]
    runs[0]["parts_done"] = ["baselines", "filing"]
    del runs[0]["intake_alone"]
    results = _results(runs, parts=("baselines", "filing"), scale_runs=None)
    results["plan"]["runs"] = 1
    assert problems(results) == []
    render(results, tmp_path / "r.md", tmp_path / "raw.json")
    md = (tmp_path / "r.md").read_text()
    assert "*SLA timers: not measured in this run.*" in md
    assert "| firing lag (due → event on Kafka)" not in md  # no table row (bench/analysis.md may name it)
    assert "| runs per part | baselines 1, filing ladder 1 |" in md
    assert not any("SLA timers" in line for line in summary_lines(results))


def test_a_stopped_run_says_where_it_stopped_and_fails_the_checks(tmp_path: Path) -> None:
    results = _scale_once()
    del results["finished_at"]
    results["saved_at"] = "2026-11-23T06:50:00+00:00"
    killed = results["runs"][1]
    killed["parts_done"] = ["baselines"]
    del killed["filing"], killed["intake_alone"]
    results["runs"] = results["runs"][:2]
    found = problems(results)
    assert found == [
        "run 2: intake_alone did not finish",
        "run 2: filing did not finish",
        "runs [3] did not start",
    ]
    render(results, tmp_path / "r.md", tmp_path / "raw.json")
    md = (tmp_path / "r.md").read_text()
    assert "| run | killed; the file was last saved at 2026-11-23T06:50:00+00:00 |" in md
    assert "*filing ladder: measured once (run 1), each cell its value.*" in md

    killed["failed"] = {"part": "intake_alone", "error": "KeyboardInterrupt: "}
    assert problems(results) == [
        "run 2: intake_alone failed: KeyboardInterrupt: ",
        "run 2: filing did not finish",
    ]


def test_report_from_renders_a_raw_file_without_measuring(tmp_path: Path) -> None:
    raw = tmp_path / "20261123T062316Z-smoke.json"
    results = _scale_once()
    results["mode"] = "smoke"
    bench_run.save_json(raw, results)
    assert bench_run.main(["--report-from", str(raw)]) == 0  # smoke: beside the JSON
    assert "SLA timers: measured once (run 1)" in raw.with_suffix(".md").read_text()
    out = tmp_path / "elsewhere" / "b.md"
    assert bench_run.main(["--report-from", str(raw), "--report", str(out)]) == 0
    assert out.read_text().startswith("# Benchmarks")
