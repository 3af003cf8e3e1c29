"""The report's analysis sections: where a complaint's time and CPU go, and the ratios to
the baselines beside the goals (pure: results dict in, markdown lines out)."""

from __future__ import annotations

from typing import Any

from bench.figures import across_runs, derived_across_runs
from bench.report_runs import with_empty_parts
from bench.report_tables import cell
from bench.stats import spread

_PROCESSES = ("intake", "routing", "feedback", "kafka", "postgres")


def spread_of(results: dict[str, Any], rate: int, key: str) -> dict[str, float] | None:
    """Median (min-max) over runs of one step's CPU ms per complaint summed over processes."""
    sums = []
    for run in results["runs"]:
        per = run.get("filing", {}).get(str(rate), {}).get(key)
        if per:
            sums.append(sum(per.values()))
    return spread(sums) if sums else None


def where(results: dict[str, Any]) -> list[str]:
    """Where a complaint's time and CPU go, per offered rate (medians over runs)."""
    rates = sorted({int(r) for run in results["runs"] for r in run.get("filing", {})})
    lines = [
        "| offered/s | machine busy (of it: outside Huiyin) | 201→routing handler p50 (ms) | routing handler→commit p50 (ms) | "
        + " | ".join(f"{p} CPU ms" for p in _PROCESSES)
        + " | all CPU ms | to inbox CPU ms | caught up (s) |",
        "| " + " | ".join(["---"] * (7 + len(_PROCESSES))) + " |",
    ]
    for r in rates:
        f = f"filing.{r}"
        busy = across_runs(results, f"{f}.cpu_s.machine_busy_share")
        outside = across_runs(results, f"{f}.cpu_s.outside_share")
        busy_cell = "no data" if busy is None else f"{busy['median']:.0%}"
        if busy is not None and outside is not None:
            busy_cell += f" ({outside['median']:.0%})"
        cells = [busy_cell, cell(across_runs(results, f"{f}.inbox.latency_routed_at_ms.p50"), 1)]
        cells.append(cell(across_runs(results, f"{f}.inbox.handler_to_commit_ms.p50"), 1))
        cells += [cell(across_runs(results, f"{f}.cpu_ms_per_complaint.{p}"), 2) for p in _PROCESSES]
        cells += [
            cell(spread_of(results, r, "cpu_ms_per_complaint"), 2),
            cell(spread_of(results, r, "cpu_ms_per_complaint_to_inbox"), 2),
            cell(across_runs(results, f"{f}.caught_up_after_s"), 1),
        ]
        lines.append(f"| {r:,} | " + " | ".join(cells) + " |")
    return lines


def ratios(results: dict[str, Any]) -> list[str]:
    d = derived_across_runs(with_empty_parts(results))
    budget = int(results["machine"]["nproc"]) * 1000 / 1000  # CPU ms per complaint for 1,000/s
    return [
        "| figure | value | goal |", "| --- | --- | --- |",
        f"| highest offered rate sustained (≥ 95 % of it reached the inboxes; no errors, drops or losses) | {cell(d['max_sustained_offered_per_s'])} /s | ≥ 1,000 /s (aim 2,000) |",
        f"| peak rate into the inboxes | {cell(d['peak_inbox_per_s'])} /s | |",
        f"| p99 201→inbox at 500/s | {cell(d['p99_inbox_ms_at_500'], 1)} ms | ≤ 250 ms |",
        f"| intake alone (routing, feedback stopped), capacity | {cell(d['intake_alone_per_s'])} /s | |",
        f"| intake alone ÷ bare endpoint capacity | {cell(d['intake_alone_vs_bare'], 2)} × | ≥ 1.5 × |",
        f"| sustained filing→inbox ÷ bare endpoint capacity | {cell(d['sustained_vs_bare'], 2)} × | |",
        f"| peak inbox rate ÷ pgbench tps | {cell(d['peak_inbox_vs_pgbench_tps'], 3)} × | |",
        f"| peak inbox rate ÷ Kafka ProducerPerformance records/s | {cell(d['peak_inbox_vs_kafka_records'], 4)} × | |",
        f"| CPU per complaint, all processes (services, Kafka, PostgreSQL), at the highest rate, until every consumer caught up | {cell(d['cpu_ms_per_complaint'], 2)} ms | ≤ {budget:.1f} ms allows 1,000/s |",
        f"| the rate that CPU cost allows if all {results['machine']['nproc']} cores served Huiyin alone | {cell(d['cpu_ceiling_per_s'])} /s | |",
        f"| intake HTTP p99 at 500/s ÷ bare endpoint HTTP p99 at 500/s | {cell(d['p99_http_ms_at_500'], 1)} ms ÷ {cell(d['bare_p99_http_ms_at_500'], 1)} ms | |",
    ]  # fmt: skip
