"""Routing's own figures on /metrics: the SLA timers waiting, due and late to fire.

Measured when Prometheus scrapes (a probe, not the hot path). The counts read the partial
index of pending timers (one per open deadline: its next step, see routing.sla.firing); "due" are pending timers whose time has come (the scheduler has
not fired them yet), and the firing lag is how long the oldest of them has waited: both
stay near zero while the scheduler keeps up. Times are the service clock's.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy import text

from huiyin.runtime import Runtime
from routing.sla import status

# kind is '<deadline>_warn', '<deadline>_breach' or '<deadline>_escalate_<level>'
PENDING_TIMERS = """
SELECT split_part(kind, '_', 1) AS deadline, split_part(kind, '_', 2) AS step,
       count(*) AS pending,
       count(*) FILTER (WHERE due_at <= :now) AS due,
       min(due_at) FILTER (WHERE due_at <= :now) AS oldest_due
  FROM sla_timers WHERE state = 'pending' GROUP BY 1, 2 ORDER BY 1, 2
"""


def register(runtime: Runtime) -> None:
    runtime.metrics.add_probe("sla_timers", lambda: sla_timers(runtime), min_interval_s=10)


async def sla_timers(runtime: Runtime) -> Iterable[Metric]:
    now = runtime.clock.now()
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(text(PENDING_TIMERS), {"now": now})).all()
    labels = ["deadline", "step"]
    pending = GaugeMetricFamily(
        "huiyin_sla_timers_pending", "SLA timers armed and not fired yet", labels=labels
    )
    due = GaugeMetricFamily(
        "huiyin_sla_timers_due", "pending SLA timers whose time has come (not fired yet)", labels=labels
    )
    oldest = None
    for deadline, step, n_pending, n_due, oldest_due in rows:
        pending.add_metric([deadline, step], n_pending)
        due.add_metric([deadline, step], n_due)
        if oldest_due is not None and (oldest is None or oldest_due < oldest):
            oldest = oldest_due
    lag = GaugeMetricFamily(
        "huiyin_sla_firing_lag_seconds",
        "how long the oldest due SLA timer has waited to fire (0: none is waiting)",
        value=max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0,
    )
    claimed = CounterMetricFamily(
        "huiyin_sla_timers_claimed",
        "SLA timers this process's scheduler fired",
        value=status.STATUS.claimed_total,
    )
    return [pending, due, lag, claimed]
