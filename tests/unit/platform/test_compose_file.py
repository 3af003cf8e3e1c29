"""deploy/docker-compose.yml agrees with the code it deploys.

No Docker engine is needed: the file is parsed (with compose's `${VAR...}` interpolation done
here), the settings classes are built from each service's container environment, and the
one-shot jobs' Python is run against stand-ins for Kafka's admin client and Alembic.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from alembic.script import ScriptDirectory
from pydantic import AliasChoices
from pydantic_settings import BaseSettings
from sqlalchemy.engine import make_url

import huiyin.migrate
from feedback.settings import FeedbackSettings
from huiyin.events import topics
from huiyin.messaging import topics_admin
from huiyin.settings import ServiceSettings
from intake.settings import IntakeSettings
from routing.settings import RoutingSettings
from routing.sla.config import SlaSettings

REPO = Path(__file__).resolve().parents[3]
DEPLOY = REPO / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"

SETTINGS: dict[str, type[ServiceSettings]] = {
    "intake": IntakeSettings,
    "routing": RoutingSettings,
    "feedback": FeedbackSettings,
}
# Settings classes a service process reads besides its own ServiceSettings subclass.
EXTRA_SETTINGS: dict[str, list[type[BaseSettings]]] = {"routing": [SlaSettings]}
# Passed to every service (as `huiyin stack` does) for links between the services' pages.
SERVICE_URL_VARS = {f"{s.upper()}_URL" for s in SETTINGS}
ALL_SETTINGS: list[type[BaseSettings]] = [*SETTINGS.values(), SlaSettings]

# What an operator would put in deploy/.env: real-looking, none of them a development key.
SECRETS = {
    "JWT_SECRET": "compose-test-jwt-secret-" + "x" * 24,
    "PII_KEYS": "k7:" + base64.b64encode(bytes(range(32))).decode(),
    "INTAKE_CONTACT_HMAC_KEY": base64.b64encode(bytes(range(100, 132))).decode(),
    "INTAKE_CITIZEN_REF_KEY": base64.b64encode(bytes(range(140, 172))).decode(),
    "INTAKE_OPEN311_API_KEYS": "compose-test-open311-key",
    "POSTGRES_PASSWORD": "0123456789abcdef0123456789abcdef",
}


class MissingVariable(Exception):
    pass


_VAR = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))")
_BRACED = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>.*))?$", re.DOTALL)


def _interpolate_str(value: str, env: dict[str, str]) -> str:
    """Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}."""

    def one(m: re.Match[str]) -> str:
        if m["escaped"]:
            return "$"
        if m["named"]:
            return env.get(m["named"], "")
        b = _BRACED.match(m["braced"])
        assert b, f"unsupported interpolation ${{{m['braced']}}}"
        name, op, arg = b["name"], b["op"], b["arg"]
        present = name in env and (env[name] != "" or not (op or "").startswith(":"))
        if op in (":-", "-"):
            return env[name] if present else arg
        if op in (":?", "?"):
            if not present:
                raise MissingVariable(f"{name}: {arg}")
            return env[name]
        return env.get(name, "")

    return _VAR.sub(one, value)


def interpolate(node: Any, env: dict[str, str]) -> Any:
    if isinstance(node, str):
        return _interpolate_str(node, env)
    if isinstance(node, list):
        return [interpolate(v, env) for v in node]
    if isinstance(node, dict):
        return {k: interpolate(v, env) for k, v in node.items()}
    return node


def load_raw() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return interpolate(load_raw(), SECRETS)


def env_of(compose: dict[str, Any], service: str) -> dict[str, str]:
    env = compose["services"][service].get("environment") or {}
    assert isinstance(env, dict), f"{service}: write environment as a mapping"
    # Compose passes every value to the container as a string.
    return {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in env.items()}


def env_names(cls: type[BaseSettings], field: str) -> list[str]:
    """The environment variables pydantic-settings reads for one field."""
    info = cls.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, str):
        return [alias.upper()]
    if isinstance(alias, AliasChoices):
        return [c.upper() for c in alias.choices if isinstance(c, str)]
    prefix = str(cls.model_config.get("env_prefix") or "")
    return [(prefix + field).upper()]


def env_name(cls: type[BaseSettings], field: str) -> str:
    return env_names(cls, field)[0]


def container_environment(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's environment as the container's: no setting leaks in from the test run."""
    read = {name for cls in ALL_SETTINGS for field in cls.model_fields for name in env_names(cls, field)}
    for key in list(os.environ):
        if key.upper() in read or key.upper().startswith(
            ("HUIYIN_", "KAFKA_", "INTAKE_", "ROUTING_", "FEEDBACK_")
        ):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def settings_from(env: dict[str, str], cls: type[ServiceSettings], monkeypatch: pytest.MonkeyPatch) -> Any:
    """Build the settings exactly as the container would: from its environment and nothing else."""
    container_environment(env, monkeypatch)
    return cls()


def published_ports(service: dict[str, Any]) -> list[tuple[int, int]]:
    pairs = []
    for entry in service.get("ports", []):
        if isinstance(entry, dict):
            pairs.append((int(entry["published"]), int(entry["target"])))
        else:
            host, _, container = str(entry).rpartition(":")
            pairs.append((int(host.rpartition(":")[2]), int(container.split("/")[0])))
    return pairs


def healthcheck_text(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else str(test)


def script_of(service: dict[str, Any]) -> str:
    command = service["command"]
    assert command[:2] == ["python", "-c"], command
    return str(command[2])


# -- the file -----------------------------------------------------------------------------


def test_it_parses_and_names_the_system(compose: dict[str, Any]) -> None:
    assert {"intake", "routing", "feedback", "kafka", "postgres", "kafka-init", "migrate"} <= set(
        compose["services"]
    )
    for name, volume in (("kafka", "/var/lib/kafka/data"), ("postgres", "/var/lib/postgresql")):
        targets = [str(v).split(":")[1] for v in compose["services"][name]["volumes"]]
        assert volume in targets, f"{name} keeps its data in a named volume"
        assert str(compose["services"][name]["volumes"][0]).split(":")[0] in compose["volumes"]


def test_production_secrets_have_no_defaults() -> None:
    """ENVIRONMENT defaults to production, so compose refuses to start without real secrets."""
    raw = load_raw()
    interpolate(raw, SECRETS)  # all set: fine
    for missing in SECRETS:
        with pytest.raises(MissingVariable, match=missing):
            interpolate(raw, {k: v for k, v in SECRETS.items() if k != missing})
    for service in SETTINGS:
        assert env_of(interpolate(raw, SECRETS), service)["ENVIRONMENT"] == "production"


# -- the three services -------------------------------------------------------------------


@pytest.mark.parametrize("service", SETTINGS)
def test_published_port_is_the_settings_default(compose: dict[str, Any], service: str) -> None:
    cls = SETTINGS[service]
    port = cls.model_fields["http_port"].default
    assert published_ports(compose["services"][service]) == [(port, port)]
    assert env_of(compose, service)[env_name(cls, "http_port")] == str(port)


@pytest.mark.parametrize("service", SETTINGS)
def test_settings_load_from_the_container_environment(
    compose: dict[str, Any], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = SETTINGS[service]
    env = env_of(compose, service)
    # The variables that reach the database and Kafka are named, never left to defaults.
    for field in ("environment", "http_host", "http_port", "database_url", "kafka_bootstrap_servers"):
        assert env_name(cls, field) in env, f"{service}: {env_name(cls, field)} is not set"

    settings = settings_from(env, cls, monkeypatch)  # validates: production secrets are present
    assert settings.environment == "production"
    assert settings.http_host == "0.0.0.0"
    assert settings.jwt_secret == SECRETS["JWT_SECRET"]
    assert settings.pii_keys == SECRETS["PII_KEYS"]

    url = make_url(settings.database_url)
    assert (url.drivername, url.host, url.port) == ("postgresql+asyncpg", "postgres", 5432)
    assert url.database == make_url(cls.model_fields["database_url"].default).database
    postgres_env = env_of(compose, "postgres")
    assert (url.username, url.password) == (postgres_env["POSTGRES_USER"], postgres_env["POSTGRES_PASSWORD"])

    advertised = env_of(compose, "kafka")["KAFKA_ADVERTISED_LISTENERS"]
    assert f"PLAINTEXT://{settings.kafka_bootstrap_servers}" in advertised.split(",")
    assert settings.kafka_partitions == ServiceSettings.model_fields["kafka_partitions"].default


@pytest.mark.parametrize("service", SETTINGS)
def test_no_setting_falls_back_to_the_loopback_interface(compose: dict[str, Any], service: str) -> None:
    """A default like 127.0.0.1:9092 is wrong in a container: every such field is set."""
    cls = SETTINGS[service]
    env = env_of(compose, service)
    loopback = [
        f
        for f, info in cls.model_fields.items()
        if isinstance(info.default, str) and re.search(r"127\.0\.0\.1|localhost", info.default)
    ]
    assert {"http_host", "database_url", "kafka_bootstrap_servers"} <= set(loopback)
    for field in loopback:
        assert not re.search(r"127\.0\.0\.1|localhost", env[env_name(cls, field)]), field


@pytest.mark.parametrize("service", SETTINGS)
def test_every_variable_set_is_one_the_service_reads(compose: dict[str, Any], service: str) -> None:
    """Catches typos: a misspelt name would silently leave the default in force."""
    known = set(SERVICE_URL_VARS)
    for cls in [SETTINGS[service], *EXTRA_SETTINGS.get(service, [])]:
        for field in cls.model_fields:
            known.update(env_names(cls, field))
    unknown = set(env_of(compose, service)) - known
    assert not unknown, f"{service} sets variables no settings class reads: {sorted(unknown)}"


@pytest.mark.parametrize("service", SETTINGS)
def test_the_service_runs_its_package_and_is_checked_at_ready(compose: dict[str, Any], service: str) -> None:
    spec = compose["services"][service]
    assert spec["command"] == ["python", "-m", service]
    assert (REPO / "services" / service / service / "__main__.py").is_file()
    port = SETTINGS[service].model_fields["http_port"].default
    assert f"http://127.0.0.1:{port}/ready" in healthcheck_text(spec)
    assert spec["healthcheck"]["test"][0] == "CMD"
    assert spec["depends_on"] == {
        "kafka": {"condition": "service_healthy"},
        "postgres": {"condition": "service_healthy"},
        "kafka-init": {"condition": "service_completed_successfully"},
        "migrate": {"condition": "service_completed_successfully"},
    }


# -- infrastructure -----------------------------------------------------------------------


def test_kafka_is_a_single_kraft_node_that_keeps_everything(compose: dict[str, Any]) -> None:
    spec = compose["services"]["kafka"]
    image, _, tag = spec["image"].partition(":")
    assert image == "apache/kafka" and int(tag.split(".")[0]) >= 4
    env = env_of(compose, "kafka")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    node, _, voter = env["KAFKA_CONTROLLER_QUORUM_VOTERS"].partition("@")
    assert node == env["KAFKA_NODE_ID"]
    assert f"CONTROLLER://:{voter.rpartition(':')[2]}" in env["KAFKA_LISTENERS"].split(",")
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert env["KAFKA_LOG_RETENTION_MS"] == topics_admin.TOPIC_CONFIG["retention.ms"] == "-1"
    assert len(base64.urlsafe_b64decode(env["CLUSTER_ID"] + "==")) == 16  # a Kafka Uuid
    assert "kafka-broker-api-versions.sh" in healthcheck_text(spec)
    assert "localhost:9092" in healthcheck_text(spec)


def test_postgres_creates_one_database_per_service(compose: dict[str, Any]) -> None:
    spec = compose["services"]["postgres"]
    assert int(spec["image"].partition(":")[2].split(".")[0]) in (16, 17, 18)
    assert "pg_isready" in healthcheck_text(spec)
    [init] = [v for v in spec["volumes"] if "/docker-entrypoint-initdb.d/" in str(v)]
    sql = (DEPLOY / str(init).split(":")[0]).read_text(encoding="utf-8")
    created = set(re.findall(r"CREATE DATABASE\s+(\w+)", sql, re.IGNORECASE))
    wanted = {make_url(cls.model_fields["database_url"].default).database for cls in SETTINGS.values()}
    assert created == wanted == {"huiyin_intake", "huiyin_routing", "huiyin_feedback"}


class FakeCluster:
    """Kafka as AIOKafkaAdminClient sees it, in memory: records what kafka-init creates."""

    def __init__(self) -> None:
        self.topics: dict[str, int] = {}
        self.created: list[Any] = []
        self.bootstrap: set[str] = set()

    def admin_client(self, *, bootstrap_servers: str, client_id: str) -> FakeAdmin:
        self.bootstrap.add(bootstrap_servers)
        return FakeAdmin(self)


class FakeAdmin:
    def __init__(self, cluster: FakeCluster) -> None:
        self.cluster = cluster

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def list_topics(self) -> list[str]:
        return list(self.cluster.topics)

    async def create_topics(self, new: list[Any]) -> None:
        self.cluster.created.extend(new)
        self.cluster.topics.update({t.name: t.num_partitions for t in new})

    async def describe_topics(self, names: list[str]) -> list[dict[str, Any]]:
        return [
            {"topic": n, "error_code": 0, "partitions": [{}] * self.cluster.topics[n]}
            for n in names
            if n in self.cluster.topics
        ]


def run_job(compose: dict[str, Any], job: str, monkeypatch: pytest.MonkeyPatch) -> None:
    container_environment(env_of(compose, job), monkeypatch)
    exec(compile(script_of(compose["services"][job]), job, "exec"), {"__name__": "__main__"})


def test_kafka_init_creates_every_topic_the_code_uses(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = compose["services"]["kafka-init"]
    assert spec["depends_on"] == {"kafka": {"condition": "service_healthy"}}
    cluster = FakeCluster()
    monkeypatch.setattr(topics_admin, "AIOKafkaAdminClient", cluster.admin_client)

    run_job(compose, "kafka-init", monkeypatch)

    partitions = ServiceSettings.model_fields["kafka_partitions"].default
    assert sorted(t.name for t in cluster.created) == sorted(topics.all_with_dlq())
    assert {"complaints", "assignments", "sla", "feedback", "complaints.dlq"} <= set(cluster.topics)
    assert {t.num_partitions for t in cluster.created} == {partitions} == {6}
    assert all(t.topic_configs["retention.ms"] == "-1" for t in cluster.created)
    assert cluster.bootstrap == {env_of(compose, "intake")["KAFKA_BOOTSTRAP_SERVERS"]}

    # Again: nothing to create. An existing topic with too few partitions fails the job.
    cluster.created.clear()
    run_job(compose, "kafka-init", monkeypatch)
    assert cluster.created == []
    cluster.topics[topics.SLA] = 1
    with pytest.raises(SystemExit, match="fewer than 6 partitions"):
        run_job(compose, "kafka-init", monkeypatch)


def test_migrate_upgrades_each_service_in_its_own_database(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = compose["services"]["migrate"]
    assert spec["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(huiyin.migrate, "upgrade", lambda package, url: calls.append((package, url)))

    run_job(compose, "migrate", monkeypatch)

    assert calls == [(s, env_of(compose, s)[env_name(cls, "database_url")]) for s, cls in SETTINGS.items()]
    for package, url in calls:  # the migrations `upgrade` will find in the installed package
        head = ScriptDirectory.from_config(huiyin.migrate.alembic_config(package, url)).get_current_head()
        assert head is not None, package


# -- the image ----------------------------------------------------------------------------


def test_every_python_container_is_built_from_the_one_dockerfile(compose: dict[str, Any]) -> None:
    python_services = ["intake", "routing", "feedback", "kafka-init", "migrate"]
    images = set()
    for name in python_services:
        spec = compose["services"][name]
        context = (DEPLOY / spec["build"]["context"]).resolve()
        assert context == REPO and (context / "pyproject.toml").is_file()
        dockerfile = context / spec["build"]["dockerfile"]
        assert dockerfile == DEPLOY / "Dockerfile" and dockerfile.is_file()
        images.add(spec["image"])
    assert len(images) == 1

    dockerfile_text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    for copied in ("pyproject.toml", "libs", "services"):
        assert re.search(rf"^COPY\s+{copied}\b", dockerfile_text, re.MULTILINE), copied
    assert re.search(r"pip install (-e )?\.", dockerfile_text)
    assert re.search(r"^USER\s+(?!root)\w+", dockerfile_text, re.MULTILINE), "runs as a non-root user"

    ignored = {
        line.strip() for line in (REPO / ".dockerignore").read_text().splitlines() if not line.startswith("#")
    }
    assert {".git", ".venv", ".data", "deploy/.env"} <= ignored
    assert not ignored & {"libs", "services", "pyproject.toml", "deploy"}
