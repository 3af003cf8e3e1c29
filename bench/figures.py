"""Derived figures of a run: sustained rate, ratios to the baselines, goal status (pure)."""

from __future__ import annotations

from typing import Any

from bench.stats import dig, ratio, spread

SUSTAINED_SHARE = 0.95  # a step is sustained when this share of the offered rate reached the inboxes


def sustained(step: dict[str, Any]) -> bool:
    """Kept up with the offered rate: nothing lost, refused or dropped, the inboxes at its pace.
    (Late sends are reported but not held against it: on a CPU-starved machine the
    generator itself is sometimes scheduled late.)"""
    http, inbox = step["http"], step["inbox"]
    rate = inbox.get("inbox_per_s")
    return (
        rate is not None
        and rate >= SUSTAINED_SHARE * http["offered_per_s"]
        and http["errors"] == 0
        and http["dropped"] == 0
        and inbox["missing"] == 0
        # and the rest of the system (deferred detection, feedback) caught up afterwards
        and ("caught_up_after_s" not in step or step["caught_up_after_s"] is not None)
    )


def cpu_ms_per_complaint(run: dict[str, Any]) -> float | None:
    """CPU of every process of the system (services, Kafka, PostgreSQL) per complaint, at the
    highest offered rate run (where fixed costs are spread thinnest)."""
    if not run["filing"]:
        return None
    top = run["filing"][max(run["filing"], key=int)]
    per = top.get("cpu_ms_per_complaint")
    return sum(per.values()) if per else None


def derived(run: dict[str, Any], nproc: int = 1) -> dict[str, float | None]:
    steps = run["filing"]
    cpu_ms = cpu_ms_per_complaint(run)
    kept = [float(rate) for rate, step in steps.items() if sustained(step)]
    peak = max((s["inbox"]["inbox_per_s"] or 0.0 for s in steps.values()), default=None)
    bare_cap = dig(run, "bare.capacity.accepted_per_s")
    best_sustained = max(kept) if kept else None
    return {
        "max_sustained_offered_per_s": best_sustained,
        "peak_inbox_per_s": peak,
        "intake_alone_per_s": dig(run, "intake_alone.accepted_per_s"),
        "bare_capacity_per_s": bare_cap,
        "intake_alone_vs_bare": ratio(dig(run, "intake_alone.accepted_per_s"), bare_cap),
        "sustained_vs_bare": ratio(best_sustained, bare_cap),
        "peak_inbox_vs_bare": ratio(peak, bare_cap),
        "peak_inbox_vs_pgbench_tps": ratio(peak, dig(run, "pgbench.tps")),
        "peak_inbox_vs_kafka_records": ratio(peak, dig(run, "kafka_producer.records_per_s")),
        "p99_inbox_ms_at_500": dig(run, "filing.500.inbox.latency_ms.p99"),
        "p99_http_ms_at_500": dig(run, "filing.500.http.latency_ms.p99"),
        "bare_p99_http_ms_at_500": dig(run, "bare.steps.500.latency_ms.p99"),
        "cpu_ms_per_complaint": cpu_ms,
        # if every core worked for Huiyin alone: the rate its CPU cost per complaint allows
        "cpu_ceiling_per_s": nproc * 1000 / cpu_ms if cpu_ms else None,
    }


def across_runs(results: dict[str, Any], path: str) -> dict[str, float] | None:
    return spread([dig(run, path) for run in results["runs"]])


def derived_across_runs(results: dict[str, Any]) -> dict[str, dict[str, float] | None]:
    nproc = int(results.get("machine", {}).get("nproc") or 1)
    per_run = [derived(run, nproc) for run in results["runs"]]
    keys = per_run[0].keys() if per_run else []
    return {k: spread([d[k] for d in per_run]) for k in keys}
