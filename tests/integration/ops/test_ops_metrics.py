"""/metrics on the three services: a complaint's journey shows up in the figures, and every
metric the Grafana dashboard queries is exported by some service."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.integration.ops.ops_stack import SERVICES, STATION, Services, three_services
from tests.support.apps import eventually
from tests.support.infra import Infra

DASHBOARD = Path(__file__).resolve().parents[3] / "deploy" / "grafana" / "dashboards" / "huiyin.json"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(text: str) -> Samples:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    """Sum of the samples of `name` whose labels include `labels`."""
    return sum(v for (n, ls), v in found.items() if n == name and labels.items() <= dict(ls).items())


def exported_names(text: str) -> set[str]:
    """Every name a PromQL query may use: sample names and the families they belong to."""
    names = set()
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        names.update(s.name for s in family.samples)
        if family.type == "counter":
            names.add(family.name + "_total")
        if family.type == "histogram":
            names.update(family.name + suffix for suffix in ("_bucket", "_count", "_sum"))
    return names


async def scrape_all(services: Services) -> dict[str, str]:
    return {s: await services.scrape(s) for s in SERVICES}


async def test_a_complaints_journey_shows_in_the_metrics_and_the_dashboard_queries_exist(
    infra: Infra, topic_prefix: str
) -> None:
    # SLA durations scaled down so the acknowledgement deadline is missed within seconds.
    async with three_services(infra, topic_prefix, sla_scale=0.0002) as services:
        filed = await services.file_complaint()

        async def breached() -> Samples:
            return samples(await services.scrape("feedback"))

        feedback = await eventually(
            breached,
            until=lambda f: value(f, "huiyin_sla_breaches_total", unit=STATION, kind="ack") >= 1,
            timeout=40,
        )
        assert value(feedback, "huiyin_escalations_total", unit=STATION) >= 1
        assert value(feedback, "huiyin_consumer_events_total", group="feedback-readmodel") >= 3
        assert ("huiyin_feedback_readmodel_lag_seconds", ()) in feedback

        texts = await scrape_all(services)
        intake, routing = samples(texts["intake"]), samples(texts["routing"])
        filed_label = {"method": "POST", "route": "/api/v1/complaints", "status": "201"}
        assert value(intake, "huiyin_http_request_duration_seconds_count", **filed_label) == 1
        assert value(intake, "huiyin_outbox_published_total") >= 1
        assert value(intake, "huiyin_outbox_backlog_rows") == 0
        submitted = {"group": "routing", "event_type": "huiyin.complaint.submitted.v1"}
        assert value(routing, "huiyin_consumer_events_total", **submitted) == 1
        assert value(routing, "huiyin_consumer_handler_seconds_count", **submitted) == 1
        assert value(routing, "huiyin_sla_timers_pending", deadline="resolve") >= 1
        assert ("huiyin_sla_firing_lag_seconds", ()) in routing
        assert value(routing, "huiyin_loop_up", loop="sla-scheduler") == 1
        assert value(routing, "huiyin_metrics_probe_errors_total") == 0
        lag_keys = [ls for (n, ls) in routing if n == "huiyin_consumer_lag_messages"]
        assert {dict(ls)["topic"] for ls in lag_keys} == {"complaints", "feedback"}
        assert value(routing, "huiyin_dlq_messages", topic="complaints") == 0
        assert filed["id"]

    exported = set().union(*(exported_names(t) for t in texts.values()))
    exprs = [t["expr"] for p in json.loads(DASHBOARD.read_text())["panels"] for t in p.get("targets", [])]
    queried = {m for e in exprs for m in re.findall(r"\bhuiyin_[a-z0-9_]+", e)}
    assert len(queried) >= 20
    assert queried - exported == set(), "the dashboard queries metrics no service exports"
