"""Did every part produce numbers? (Speed is never asserted: only that it was measured.)
Only the parts a run was meant to measure are held against it (`--parts`, `--scale-runs`)."""

from __future__ import annotations

from typing import Any

from bench.plan import PARTS, parts_for_run, schedule
from bench.stats import dig


def _needed(run: dict[str, Any], plan: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """figure -> (its part, its path in the run)."""
    startup = "fresh" if run.get("startup", {}).get("fresh") else "services_only"
    need = {
        "Kafka ProducerPerformance records/s": ("baselines", "kafka_producer.records_per_s"),
        "pgbench tps": ("baselines", "pgbench.tps"),
        "bare endpoint capacity": ("baselines", "bare.capacity.accepted_per_s"),
        "intake alone capacity": ("intake_alone", "intake_alone.accepted_per_s"),
        "SLA timers: firing lag p99": ("timers", "timers.lag_ms.p99"),
        "SLA timers: routing RSS": ("timers", "timers.rss_large_mib"),
        "SLA timers: arming rate": ("timers", "timers.arm.timers_per_s"),
        "rebuild by replay rate": ("replay", "replay.events_per_s"),
        "rankings p99": ("figures", "figures.rankings.latency_ms.p99"),
        "monthly unit metrics p99": ("figures", "figures.unit_metrics.latency_ms.p99"),
        "start-up: services to ready": ("startup", f"startup.{startup}.services_s"),
    }
    for size in plan.get("hotspots_stored") or []:
        need[f"hot-spot detection with {size:,} stored"] = (
            "hotspots",
            f"hotspots.by_stored.{size}.complaints_per_s",
        )
    for rate in run.get("filing", {}):
        need[f"filing -> inbox at {rate}/s: inbox rate"] = ("filing", f"filing.{rate}.inbox.inbox_per_s")
        need[f"filing -> inbox at {rate}/s: p99 latency"] = ("filing", f"filing.{rate}.inbox.latency_ms.p99")
    return need


def _lossless(i: int, run: dict[str, Any]) -> list[str]:
    """A smoke load is so light it must lose nothing, or a code path is broken."""
    found = []
    for rate, step in run.get("filing", {}).items():
        http, inbox = step["http"], step["inbox"]
        if http["accepted"] != http["planned"]:
            found.append(
                f"run {i}: {rate}/s: {http['accepted']} of {http['planned']} filings accepted "
                f"(first error: {http['first_error']})"
            )
        if inbox["missing"]:
            found.append(f"run {i}: {rate}/s: {inbox['missing']} accepted complaints never reached an inbox")
        if inbox["armed"] != inbox["reached_inbox"]:
            found.append(f"run {i}: {rate}/s: inbox rows without armed deadlines")
    if run.get("timers", {}).get("not_fired"):
        found.append(f"run {i}: {run['timers']['not_fired']} due SLA timers never fired")
    return found


def problems(results: dict[str, Any]) -> list[str]:
    if not results["runs"]:
        return ["no run finished"]
    selected = tuple(results.get("parts") or PARTS)
    scale_runs = results.get("scale_runs")
    plan = results.get("plan", {})
    found: list[str] = []
    for n, run in enumerate(results["runs"], 1):
        i = run.get("run", n)
        meant = parts_for_run(selected, i, scale_runs)
        # Files from before runs recorded their parts: every figure is looked for.
        done = tuple(run["parts_done"]) if "parts_done" in run else meant
        failed = run.get("failed") or {}
        if failed:
            found.append(f"run {i}: {failed['part']} failed: {failed['error']}")
        found += [f"run {i}: {p} did not finish" for p in meant if p not in done and p != failed.get("part")]
        for what, (part, path) in _needed(run, plan).items():
            value = dig(run, path)
            if part in meant and part in done and (value is None or value <= 0):
                found.append(f"run {i}: {what} missing ({path})")
        if results["mode"] == "smoke":
            found += _lossless(i, run)
    if plan.get("runs") and not any(r.get("failed") for r in results["runs"]):
        last = results["runs"][-1].get("run", len(results["runs"]))
        later = [n for n, _ in schedule(plan["runs"], selected, scale_runs) if n > last]
        if later:
            found.append(f"runs {later} did not start")
    return found
