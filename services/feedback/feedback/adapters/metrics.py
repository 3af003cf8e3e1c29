"""Feedback's own figures on /metrics: breaches and escalations by unit, read-model lag.

Breaches and escalations are counted as the accountability read model applies the SLA
events (after its transaction committed, each event once per replica that owns its
partition: sum them over replicas). The read-model lag is how far that consumer group is
behind the topics: the age of the oldest event it has not applied, and how many there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily, Metric

from feedback.entrypoints.consumers import READ_MODEL_GROUP
from huiyin.events import Event
from huiyin.events.sla import ComplaintEscalated, SlaBreached
from huiyin.observability.platform_probes import ConsumerLag
from huiyin.runtime import Runtime


def register(runtime: Runtime) -> None:
    metrics = runtime.metrics
    breaches = Counter(
        "huiyin_sla_breaches", "missed deadlines (SLA breaches) by unit and deadline",
        ["unit", "kind"], registry=metrics.registry,
    )  # fmt: skip
    escalations = Counter(
        "huiyin_escalations", "escalations raised on a unit's complaints, by level",
        ["unit", "level"], registry=metrics.registry,
    )  # fmt: skip

    def count_breaches(events: Sequence[Event[Any]]) -> None:
        for e in events:
            breaches.labels(e.data.unit_id, e.data.kind).inc()

    def count_escalations(events: Sequence[Event[Any]]) -> None:
        for e in events:
            escalations.labels(e.data.unit_id, str(e.data.level)).inc()

    metrics.observe_events(READ_MODEL_GROUP, SlaBreached, count_breaches)
    metrics.observe_events(READ_MODEL_GROUP, ComplaintEscalated, count_escalations)
    metrics.add_probe("readmodel_lag", lambda: readmodel_lag(runtime.consumer_lag))


async def readmodel_lag(lag: ConsumerLag | None) -> Iterable[Metric]:
    if lag is None:  # installed with the app's probes; absent when the app runs no consumer groups
        return []
    parts = [p for p in await lag.snapshot() if p.group == READ_MODEL_GROUP]
    return [
        GaugeMetricFamily(
            "huiyin_feedback_readmodel_lag_seconds",
            "age of the oldest event the accountability read model has not applied (0: up to date)",
            value=max((p.oldest_age_s or 0.0 for p in parts), default=0.0),
        ),
        GaugeMetricFamily(
            "huiyin_feedback_readmodel_lag_events",
            "events the accountability read model has not applied yet",
            value=sum(p.lag for p in parts),
        ),
    ]
