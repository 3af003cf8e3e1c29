"""deploy/prometheus.yml and deploy/grafana/ are wired to the services and to each other.

Whether every metric the dashboard queries is really exported is checked against live
/metrics in tests/integration/ops/test_ops_metrics.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from feedback.settings import FeedbackSettings
from intake.settings import IntakeSettings
from routing.settings import RoutingSettings

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "huiyin.json"
PORTS = {s: cls.model_fields["http_port"].default for s, cls in
         (("intake", IntakeSettings), ("routing", RoutingSettings), ("feedback", FeedbackSettings))}  # fmt: skip


def dashboard() -> dict[str, Any]:
    return dict(json.loads(DASHBOARD.read_text(encoding="utf-8")))


def queried_metrics() -> set[str]:
    exprs = [t["expr"] for p in dashboard()["panels"] for t in p.get("targets", [])]
    return {m for e in exprs for m in re.findall(r"\bhuiyin_[a-z0-9_]+", e)}


def test_prometheus_scrapes_each_service_with_its_service_label() -> None:
    config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text(encoding="utf-8"))
    [job] = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    targets = {t["labels"]["service"]: t["targets"] for t in job["static_configs"]}
    assert targets == {s: [f"{s}:{port}"] for s, port in PORTS.items()}


def test_compose_provisions_prometheus_and_grafana_with_these_files() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    for name in ("prometheus", "grafana"):
        for volume in compose[name]["volumes"]:
            source = str(volume).split(":")[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), f"{name} mounts {source}, which does not exist"
    mounted = {str(v).split(":")[1] for v in compose["grafana"]["volumes"]}
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/huiyin.yml").read_text())
    assert provider["providers"][0]["options"]["path"] in mounted
    assert "/etc/grafana/provisioning" in mounted
    assert any(str(v).endswith("/etc/prometheus/prometheus.yml:ro") for v in compose["prometheus"]["volumes"])


def test_every_panel_reads_the_provisioned_datasource_and_says_what_it_shows() -> None:
    source = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text())
    [uid] = [d["uid"] for d in source["datasources"]]
    panels = [p for p in dashboard()["panels"] if p["type"] != "row"]
    assert len(panels) >= 15
    for panel in panels:
        assert panel["description"], panel["title"]
        assert panel["datasource"]["uid"] == uid and panel["targets"], panel["title"]
        assert all(t["datasource"]["uid"] == uid for t in panel["targets"])
    ids = [p["id"] for p in dashboard()["panels"]]
    assert len(ids) == len(set(ids))


def test_the_dashboard_covers_what_an_operator_must_see() -> None:
    wanted = {
        "huiyin_http_request_duration_seconds_bucket",  # requests by route and status, latency
        "huiyin_outbox_backlog_rows", "huiyin_outbox_oldest_age_seconds", "huiyin_outbox_published_total",
        "huiyin_consumer_lag_messages", "huiyin_consumer_lag_seconds", "huiyin_consumer_handler_seconds_bucket",
        "huiyin_dlq_messages", "huiyin_sla_timers_pending", "huiyin_sla_timers_due", "huiyin_sla_firing_lag_seconds",
        "huiyin_sla_breaches_total", "huiyin_escalations_total", "huiyin_feedback_readmodel_lag_seconds",
    }  # fmt: skip
    assert wanted <= queried_metrics()
