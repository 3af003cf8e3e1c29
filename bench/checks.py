"""Did every part produce numbers? (Speed is never asserted: only that it was measured.)"""

from __future__ import annotations

from typing import Any

from bench.stats import dig


def problems(results: dict[str, Any]) -> list[str]:
    found: list[str] = []
    if not results["runs"]:
        return ["no run finished"]
    smoke = results["mode"] == "smoke"
    for i, run in enumerate(results["runs"], 1):
        need = {
            "Kafka ProducerPerformance records/s": "kafka_producer.records_per_s",
            "pgbench tps": "pgbench.tps",
            "bare endpoint capacity": "bare.capacity.accepted_per_s",
            "intake alone capacity": "intake_alone.accepted_per_s",
            "SLA timers: firing lag p99": "timers.lag_ms.p99",
            "SLA timers: routing RSS": "timers.rss_large_mib",
            "SLA timers: arming rate": "timers.arm.timers_per_s",
            "rebuild by replay rate": "replay.events_per_s",
            "rankings p99": "figures.rankings.latency_ms.p99",
            "monthly unit metrics p99": "figures.unit_metrics.latency_ms.p99",
            "start-up: services to ready": (
                "startup.fresh.services_s"
                if run.get("startup", {}).get("fresh")
                else "startup.services_only.services_s"
            ),
        }
        for size in results.get("plan", {}).get("hotspots_stored") or []:
            need[f"hot-spot detection with {size:,} stored"] = f"hotspots.by_stored.{size}.complaints_per_s"
        for rate in run["filing"]:
            need[f"filing -> inbox at {rate}/s: inbox rate"] = f"filing.{rate}.inbox.inbox_per_s"
            need[f"filing -> inbox at {rate}/s: p99 latency"] = f"filing.{rate}.inbox.latency_ms.p99"
        for what, path in need.items():
            value = dig(run, path)
            if value is None or value <= 0:
                found.append(f"run {i}: {what} missing ({path})")
        if smoke:  # a load this light must lose nothing, or a code path is broken
            for rate, step in run["filing"].items():
                http, inbox = step["http"], step["inbox"]
                if http["accepted"] != http["planned"]:
                    found.append(
                        f"run {i}: {rate}/s: {http['accepted']} of {http['planned']} filings accepted "
                        f"(first error: {http['first_error']})"
                    )
                if inbox["missing"]:
                    found.append(
                        f"run {i}: {rate}/s: {inbox['missing']} accepted complaints never reached an inbox"
                    )
                if inbox["armed"] != inbox["reached_inbox"]:
                    found.append(f"run {i}: {rate}/s: inbox rows without armed deadlines")
            if run.get("timers", {}).get("not_fired"):
                found.append(f"run {i}: {run['timers']['not_fired']} due SLA timers never fired")
    return found
