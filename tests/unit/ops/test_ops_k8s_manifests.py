"""deploy/k8s (kustomize base and production overlay) agrees with the code it deploys.

Rendered by tests/unit/ops/kustomize_lite.py (no kustomize binary here). Each service's
container environment is resolved as the kubelet would (ConfigMap, secrets, $(VAR)
references) and its settings class is built from it, so a missing or misspelt setting
fails here, not at 3 a.m.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic_settings import BaseSettings
from sqlalchemy.engine import make_url

from feedback.settings import FeedbackSettings
from huiyin.auth.routes import route_rules
from huiyin.events import topics
from huiyin.messaging.topics_admin import TOPIC_CONFIG
from huiyin.settings import ServiceSettings
from intake.settings import IntakeSettings
from routing.settings import RoutingSettings
from routing.sla.config import SlaSettings
from tests.unit.ops.kustomize_lite import Doc, containers, load_all, of_kind, one, render

K8S = Path(__file__).resolve().parents[3] / "deploy" / "k8s"
SETTINGS: dict[str, type[ServiceSettings]] = {
    "intake": IntakeSettings,
    "routing": RoutingSettings,
    "feedback": FeedbackSettings,
}
EXTRA: dict[str, list[type[BaseSettings]]] = {"routing": [SlaSettings]}
# What an operator puts in huiyin-secrets (the example's keys, real-looking values).
FAKE_SECRETS = {
    "JWT_SECRET": "k8s-test-jwt-secret-" + "y" * 24,
    "PII_KEYS": "k9:" + base64.b64encode(bytes(range(32))).decode(),
    "INTAKE_CONTACT_HMAC_KEY": base64.b64encode(bytes(range(50, 82))).decode(),
    "INTAKE_CITIZEN_REF_KEY": base64.b64encode(bytes(range(90, 122))).decode(),
    "INTAKE_OPEN311_API_KEYS": "k8s-test-open311-key",
}
RENDERS = {"base": K8S / "base", "production": K8S / "overlays" / "production"}


@pytest.fixture(scope="module", params=sorted(RENDERS))
def rendered(request: pytest.FixtureRequest) -> tuple[str, list[Doc]]:
    return request.param, render(RENDERS[request.param])


def env_names(cls: type[BaseSettings]) -> set[str]:
    names = set()
    for field, info in cls.model_fields.items():
        alias = info.validation_alias
        names.add(
            alias.upper()
            if isinstance(alias, str)
            else (str(cls.model_config.get("env_prefix") or "") + field).upper()
        )
    return names


def container_env(docs: list[Doc], container: Doc) -> tuple[dict[str, str], set[str]]:
    """The container's environment with secrets filled in; and the names only used in $(...)."""
    example = one(load_all(K8S / "base" / "secret.example.yaml"), "Secret", "huiyin-secrets")
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(one(docs, "ConfigMap", source["configMapRef"]["name"])["data"])
    referenced: set[str] = set()
    for item in container.get("env", []):
        if "value" in item:
            value = str(item["value"])
            refs = re.findall(r"\$\(([A-Z0-9_]+)\)", value)
            assert all(r in env for r in refs), f"{item['name']} refers to an undefined variable: {refs}"
            referenced.update(refs)
            env[item["name"]] = re.sub(r"\$\(([A-Z0-9_]+)\)", lambda m: env[m[1]], value)
            continue
        ref = item["valueFrom"]["secretKeyRef"]
        if ref["name"] == "huiyin-secrets":
            assert ref["key"] in example["stringData"], f"{ref['key']} is missing from secret.example.yaml"
            env[item["name"]] = FAKE_SECRETS[ref["key"]]
        else:  # CloudNativePG writes `<cluster>-app` with username and password
            one(docs, "Cluster", ref["name"].removesuffix("-app"))
            assert ref["key"] in ("username", "password")
            env[item["name"]] = "huiyin" if ref["key"] == "username" else "cnpgGeneratedPassword0123"
    return env, referenced


def build_settings(cls: type[ServiceSettings], env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Any:
    for key in list(os.environ):
        if key.upper().startswith(
            ("HUIYIN_", "KAFKA_", "INTAKE_", "ROUTING_", "FEEDBACK_", "OTEL_", "JWT_", "PII_")
        ):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return cls()


@pytest.mark.parametrize("service", SETTINGS)
def test_each_service_gets_every_setting_it_needs(
    rendered: tuple[str, list[Doc]], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, docs = rendered
    cls = SETTINGS[service]
    [container] = one(docs, "Deployment", service)["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["python", "-m", service]
    env, helpers = container_env(docs, container)

    settings = build_settings(cls, env, monkeypatch)  # validates: production refuses dev keys
    assert settings.environment == "production" and settings.http_host == "0.0.0.0"
    url = make_url(settings.database_url)
    assert url.drivername == "postgresql+asyncpg" and url.host == f"{service}-db-rw"
    assert url.database == make_url(str(cls.model_fields["database_url"].default)).database
    kafka = one(docs, "Kafka", settings.kafka_bootstrap_servers.split("-kafka-bootstrap")[0])
    port = kafka["spec"]["kafka"]["listeners"][0]["port"]
    assert settings.kafka_bootstrap_servers == f"{kafka['metadata']['name']}-kafka-bootstrap:{port}"

    # Nothing left at a loopback default, and nothing set that no settings class reads (typos).
    for field, info in cls.model_fields.items():
        if isinstance(info.default, str) and re.search(r"127\.0\.0\.1|localhost", info.default):
            assert not re.search(r"127\.0\.0\.1|localhost", str(getattr(settings, field))), field
    known = env_names(cls).union(*(env_names(c) for c in EXTRA.get(service, [])))
    assert set(env) - known - helpers == set()


@pytest.mark.parametrize("service", SETTINGS)
def test_probes_ports_and_scrape_paths_exist_in_the_app(
    rendered: tuple[str, list[Doc]], service: str
) -> None:
    _, docs = rendered
    pod = one(docs, "Deployment", service)["spec"]["template"]
    [container] = pod["spec"]["containers"]
    port = SETTINGS[service].model_fields["http_port"].default
    assert container["ports"] == [{"name": "http", "containerPort": port}]
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert pod["metadata"]["annotations"]["prometheus.io/port"] == str(port)
    paths = {rule.path for rule in route_rules(app_of(service))}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["path"] in paths
    assert pod["metadata"]["annotations"]["prometheus.io/path"] in paths
    assert container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"]
    svc = one(docs, "Service", service)["spec"]
    assert svc["selector"] == {"app.kubernetes.io/name": service} and svc["ports"][0]["targetPort"] == "http"


@pytest.mark.parametrize("service", SETTINGS)
def test_replicas_disruption_budget_and_autoscaler_fit_the_partitions(
    rendered: tuple[str, list[Doc]], service: str
) -> None:
    name, docs = rendered
    deployment = one(docs, "Deployment", service)
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    pdb, hpa = (
        one(docs, "PodDisruptionBudget", service)["spec"],
        one(docs, "HorizontalPodAutoscaler", service)["spec"],
    )
    partitions = int(one(docs, "ConfigMap", "huiyin-config")["data"]["KAFKA_PARTITIONS"])
    assert deployment["spec"]["replicas"] >= (3 if name == "production" else 2)
    assert pdb["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["minAvailable"] < hpa["minReplicas"] <= deployment["spec"]["replicas"], (
        "a drain must be able to proceed"
    )
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": service}
    assert hpa["maxReplicas"] <= partitions, "replicas beyond the partition count would consume nothing"


def test_topics_are_the_ones_the_code_uses_with_the_configured_partitions(
    rendered: tuple[str, list[Doc]],
) -> None:
    name, docs = rendered
    config = one(docs, "ConfigMap", "huiyin-config")["data"]
    partitions, prefix = int(config["KAFKA_PARTITIONS"]), config["KAFKA_TOPIC_PREFIX"]
    kafka = one(docs, "Kafka", config["KAFKA_BOOTSTRAP_SERVERS"].split("-kafka-bootstrap")[0])
    assert kafka["spec"]["kafka"]["config"]["auto.create.topics.enable"] is False
    brokers = sum(
        p["spec"]["replicas"]
        for p in of_kind(docs, "KafkaNodePool")
        if p["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
        and "broker" in p["spec"]["roles"]
    )
    found = {t["spec"]["topicName"]: t for t in of_kind(docs, "KafkaTopic")}
    assert set(found) == {prefix + t for t in topics.all_with_dlq()}
    for topic in found.values():
        spec = topic["spec"]
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
        assert spec["partitions"] == partitions
        assert str(spec["config"]["retention.ms"]) == TOPIC_CONFIG["retention.ms"]
        assert spec["replicas"] <= brokers
        assert int(spec["config"].get("min.insync.replicas", 1)) <= max(1, spec["replicas"] - 1)
    if name == "production":
        assert brokers >= 3 and all(t["spec"]["replicas"] == 3 for t in found.values())


def test_databases_and_the_migration_job(
    rendered: tuple[str, list[Doc]], monkeypatch: pytest.MonkeyPatch
) -> None:
    name, docs = rendered
    job = one(docs, "Job", "huiyin-migrate")
    [container] = job["spec"]["template"]["spec"]["containers"]
    env, _ = container_env(docs, container)
    for service, cls in SETTINGS.items():
        cluster = one(docs, "Cluster", f"{service}-db")["spec"]
        wanted = make_url(str(cls.model_fields["database_url"].default)).database
        assert cluster["bootstrap"]["initdb"]["database"] == wanted
        assert make_url(env[f"{service.upper()}_DATABASE_URL"]).host == f"{service}-db-rw"
        assert cluster["instances"] >= (3 if name == "production" else 1)
    assert "upgrade(service" in container["command"][2]
    images = {c["image"] for c in containers(docs)}
    assert len(images) == 1, "one image for every container"
    assert (name == "production") == (":local" not in images.pop())


def test_the_secret_example_is_not_applied() -> None:
    assert "secret.example.yaml" not in load_all(K8S / "base" / "kustomization.yaml")[0]["resources"]
    assert not of_kind(render(K8S / "base"), "Secret"), "secrets are created outside git"


_APPS: dict[str, FastAPI] = {}


def app_of(service: str) -> FastAPI:
    if service not in _APPS:
        module = __import__(f"{service}.entrypoints.app", fromlist=["create_app"])
        _APPS[service] = module.create_app()
    return _APPS[service]
