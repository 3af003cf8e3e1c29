"""The report's tables, one function per section: each cell is the median over the runs
that measured it, with the min-max range (pure: results dict in, markdown lines out)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench import report_runs as rr
from bench.figures import across_runs
from bench.stats import spread


def _n(v: float | None, digits: int = 0) -> str:
    return "–" if v is None else f"{v:,.{digits}f}"


def cell(s: dict[str, float] | None, digits: int = 0) -> str:
    """`median (min–max)` over the runs; a lone run shows its value."""
    if s is None:
        return "no data"
    if s["n"] == 1 or s["min"] == s["max"]:
        return _n(s["median"], digits)
    return f"{_n(s['median'], digits)} ({_n(s['min'], digits)}–{_n(s['max'], digits)})"


def _row(results: dict[str, Any], paths: list[tuple[str, int]]) -> str:
    return "| " + " | ".join(cell(across_runs(results, p), d) for p, d in paths) + " |"


def machine(results: dict[str, Any]) -> list[str]:
    m, bg = results["machine"], results["background_load"]
    workers = ", ".join(f"{k} {v}" for k, v in results["workers"].items())
    gen = "Go (bench/loadgen)" if results.get("generator") == "go" else "**Python fallback** (Go was missing)"
    return [
        "| | |", "| --- | --- |",
        f"| CPU | {m['cpu_model']}, {m['nproc']} cores (nproc) |",
        f"| memory | {m['memory_gib']} GiB |",
        f"| other load during the run | {_outside(results)} |",
        f"| other load before the run | {bg['busy_share']:.0%} of the CPU busy, load average {bg['loadavg_1m']:.1f} |",
        f"| software | Python {m['python']}, Kafka {m['kafka']}, {m['postgresql']}, {m['java']}, {m['go']} |",
        f"| command | `{results['command']}` |",
        f"| date | {results['started_at']} – {results.get('finished_at', '?')} (UTC) |",
        f"| run | {rr.status(results)} |",
        f"| runs | {len(results['runs'])} ({results['mode']}); each cell: median (min–max) over the runs that measured its part |",
        f"| runs per part | {rr.per_part(results)} |",
        f"| uvicorn workers | {workers} (the bare endpoint: as many as intake) |",
        *(
            ["| intake's processes | API only (no relay, no consumer) + one for its relay and status consumer |"]
            if results.get("split_intake")
            else []
        ),
        f"| load generator | {gen}, at most {results['plan']['conns']} requests in flight |",
    ]  # fmt: skip


def _outside(results: dict[str, Any]) -> str:
    """How much of the machine was busy outside Huiyin's processes during the filing steps
    (the load generator, the harness, and anyone else's work on a shared machine)."""
    shares = [
        step["cpu_s"].get("outside_share")
        for run in results["runs"]
        for step in run.get("filing", {}).values()
    ]
    s = spread(shares)
    if s is None:
        return "not measured"
    return f"{s['median']:.0%} ({s['min']:.0%}–{s['max']:.0%}) of both cores, median (min–max) over the filing steps"


def baselines(results: dict[str, Any]) -> list[str]:
    workers = results["workers"].get("intake", 1)
    return [
        "| baseline | figure | latency |", "| --- | --- | --- |",
        f"| Kafka `ProducerPerformance`, 500-byte records, acks=all, idempotent | "
        f"{cell(across_runs(results, 'kafka_producer.records_per_s'))} records/s | "
        f"p99 {cell(across_runs(results, 'kafka_producer.latency_p99_ms'))} ms |",
        f"| `pgbench` TPC-B, 8 clients, scale {results['plan']['pgbench_scale']} | "
        f"{cell(across_runs(results, 'pgbench.tps'))} tps | avg {cell(across_runs(results, 'pgbench.latency_avg_ms'), 2)} ms |",
        f"| bare FastAPI + asyncpg insert endpoint, {workers} worker(s), capacity | "
        f"{cell(across_runs(results, 'bare.capacity.accepted_per_s'))} requests/s | "
        f"p99 {cell(across_runs(results, 'bare.capacity.latency_ms.p99'))} ms (overloaded) |",
    ]  # fmt: skip


def _per_step(
    results: dict[str, Any], rate: int, figure: Callable[[dict[str, Any]], float | None], digits: int = 0
) -> str:
    """A figure computed from each run's step at `rate`, as a cell."""
    steps = [run["filing"][str(rate)] for run in results["runs"] if str(rate) in run.get("filing", {})]
    return cell(spread([figure(step) for step in steps]), digits)


def _outbox_left(step: dict[str, Any]) -> float:
    return sum(step["backlog_at_end"]["outbox_pending"].values())


def _lag_left(step: dict[str, Any]) -> float | None:
    known = [v for v in step["backlog_at_end"]["consumer_lag"].values() if v is not None]
    return sum(known) if known else None


def _cpu_ms(step: dict[str, Any]) -> float | None:
    per = step["cpu_ms_per_complaint"]
    return sum(per.values()) if per else None


def filing(results: dict[str, Any]) -> list[str]:
    rates = sorted({int(r) for run in results["runs"] for r in run.get("filing", {})})
    lines = [
        "| offered/s | accepted/s | reached inbox/s | 201→inbox p50 | p95 | p99 | max (ms) "
        "| HTTP p99 (ms) | errors | late / dropped sends | outbox left | consumer lag left | CPU ms per complaint |",
        "| " + " | ".join(["---"] * 13) + " |",
    ]
    for r in rates:
        f = f"filing.{r}"
        figures = _row(
            results,
            [(f"{f}.http.accepted_per_s", 0), (f"{f}.inbox.inbox_per_s", 0)]
            + [(f"{f}.inbox.latency_ms.{p}", 1) for p in ("p50", "p95", "p99", "max")]
            + [(f"{f}.http.latency_ms.p99", 1), (f"{f}.http.errors", 0)],
        )
        late = f"{cell(across_runs(results, f'{f}.http.late_sends'))} / {cell(across_runs(results, f'{f}.http.dropped'))}"
        backlog = " | ".join(
            [
                _per_step(results, r, _outbox_left),
                _per_step(results, r, _lag_left),
                _per_step(results, r, _cpu_ms, 2),
            ]
        )
        lines.append(f"| {r:,} |{figures[1:-1]}| {late} | {backlog} |")
    return lines


def skipped(results: dict[str, Any]) -> list[str]:
    lines = []
    for i, run in enumerate(results["runs"], 1):
        if run.get("skipped_rates"):
            rates = ", ".join(f"{r:,}/s" for r in run["skipped_rates"])
            lines.append(
                f"\nRun {i} skipped {rates}: the step before left complaints unplaced after "
                f"{results['plan']['drain_timeout_s']:.0f} s, so the system was already past its limit."
            )
    return lines
