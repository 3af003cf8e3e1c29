"""Figures of one load step from the generator's per-request records (pure, no I/O)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.loadgen import LoadRun, Record
from bench.stats import distribution

NS_PER_MS = 1e6


def accepted(records: list[Record]) -> list[Record]:
    return [r for r in records if 200 <= r.status < 300]


def http_figures(run: LoadRun, *, rate: float, duration: float) -> dict[str, Any]:
    """What the generator offered, what was accepted, and how long the answers took.

    Latency is measured from each request's *scheduled* time (so waiting for a free
    connection counts: no coordinated omission) and, beside it, from the actual send.
    """
    ok = accepted(run.records)
    failed = [r for r in run.records if not 200 <= r.status < 300 and r.status != -1]
    errors = Counter(str(r.status) for r in failed)
    first_due = min((r.due_ns for r in run.records), default=0)
    last_done = max((r.done_ns for r in ok), default=first_due)
    span_s = (last_done - first_due) / 1e9
    return {
        "offered_per_s": rate,
        "duration_s": duration,
        "planned": run.summary["planned"],
        "sent": run.summary["sent"],
        "late_sends": run.summary["late"],
        "dropped": run.summary["dropped"],
        "max_send_lag_ms": round(float(run.summary["max_send_lag_ms"]), 2),  # type: ignore[arg-type]
        "accepted": len(ok),
        "errors": sum(errors.values()),
        "error_statuses": dict(errors),
        "first_error": (failed[0].error or f"HTTP {failed[0].status}") if failed else None,
        "accepted_per_s": round(len(ok) / span_s, 1) if span_s > 0 else None,
        "latency_ms": distribution((r.done_ns - r.due_ns) / NS_PER_MS for r in ok),
        "latency_from_send_ms": distribution((r.done_ns - r.sent_ns) / NS_PER_MS for r in ok),
    }
