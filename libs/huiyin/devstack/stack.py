"""The whole local system as processes: PostgreSQL, Kafka, and the three services.

`make up`, `make test` and the e2e/fault tests all use this one launcher, each with its
own profile (ports, data dir, topic prefix), so a test run never touches a dev stack.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from huiyin.devstack import procs
from huiyin.devstack.commands import DevstackError
from huiyin.devstack.kafka import LocalKafka
from huiyin.devstack.ports import free_port
from huiyin.devstack.postgres import LocalPostgres
from huiyin.messaging.topics_admin import ensure_topics
from huiyin.migrate import upgrade

SERVICES = ("intake", "routing", "feedback")
REPO_ROOT = Path(__file__).resolve().parents[3]


@dataclass
class StackConfig:
    profile: str
    root: Path
    pg_port: int
    kafka_port: int
    controller_port: int
    http_ports: dict[str, int]
    topic_prefix: str = ""
    workers: dict[str, int] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def database_name(self, service: str) -> str:
        return f"huiyin_{service}"


def profile(name: str, *, root: Path | None = None) -> StackConfig:
    base = root or REPO_ROOT / ".data" / name
    if name == "dev":
        return StackConfig(
            "dev",
            base,
            pg_port=int(os.environ.get("HUIYIN_PG_PORT", 5433)),
            kafka_port=9092,
            controller_port=9093,
            http_ports={"intake": 8001, "routing": 8002, "feedback": 8003},
        )
    if name == "test":
        return StackConfig(
            "test",
            base,
            pg_port=15433,
            kafka_port=19092,
            controller_port=19093,
            http_ports={"intake": 18001, "routing": 18002, "feedback": 18003},
        )
    raise DevstackError(f"unknown profile {name!r} (dev, test)")


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.postgres = LocalPostgres(config.root / "postgres", port=config.pg_port)
        self._replica_ports: dict[str, int] = {}
        self.kafka = LocalKafka(
            config.root / "kafka", port=config.kafka_port, controller_port=config.controller_port
        )

    # -- infrastructure -------------------------------------------------------------
    def start_infra(self, *, fresh_kafka: bool = False) -> None:
        """Start PostgreSQL and Kafka, or reuse them if they run. `fresh_kafka` (the test
        profile) discards the stopped broker's topics first: every test run makes its own
        prefixed topics, and a broker that kept them all from earlier runs spends a minute
        loading thousands of partitions at start-up."""
        self.config.root.mkdir(parents=True, exist_ok=True)
        self.postgres.start()
        self.kafka.ensure_jars()
        if fresh_kafka and self.kafka.pid() is None:
            self.kafka.discard_storage()
        self.kafka.start()

    def database_url(self, service: str) -> str:
        return self.postgres.url(self.config.database_name(service))

    def prepare(self, *, seed: bool = True) -> None:
        """Databases, migrations, topics, and the demo data (idempotent)."""
        for service in SERVICES:
            self.postgres.ensure_database(self.config.database_name(service))
            upgrade(service, self.database_url(service))
        asyncio.run(ensure_topics(self.kafka.bootstrap_servers, prefix=self.config.topic_prefix))
        if seed:
            for service in SERVICES:
                self._seed(service)

    def _seed(self, service: str) -> None:
        try:
            module = importlib.import_module(f"{service}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{service}.demo":
                raise
            return  # this service has no demo data
        asyncio.run(module.seed(self.database_url(service)))

    # -- services -----------------------------------------------------------------------
    def service_env(self, service: str) -> dict[str, str]:
        up = service.upper()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INTAKE_", "ROUTING_", "FEEDBACK_"))}
        env.update(
            {
                "ENVIRONMENT": env.get("ENVIRONMENT", "development"),
                "KAFKA_BOOTSTRAP_SERVERS": self.kafka.bootstrap_servers,
                "KAFKA_TOPIC_PREFIX": self.config.topic_prefix,
                f"{up}_DATABASE_URL": self.database_url(service),
                f"{up}_HTTP_PORT": str(self.config.http_ports[service]),
                f"{up}_WORKERS": str(self.config.workers.get(service, 1)),
                **{f"{s.upper()}_URL": self.url(s) for s in SERVICES},
                "CORS_ALLOW_ORIGINS": ",".join(self.page_origins()),
                **self.config.env,
            }
        )
        return env

    def url(self, service: str, replica: int = 1) -> str:
        return f"http://127.0.0.1:{self._port(service, replica)}"

    def _port(self, service: str, replica: int) -> int:
        if replica == 1:
            return self.config.http_ports[service]
        key = f"{service}.{replica}"
        if key not in self._replica_ports:
            self._replica_ports[key] = free_port()
        return self._replica_ports[key]

    def page_origins(self) -> list[str]:
        """The origins of the three services' pages (docs/web.md: they call each other's APIs)."""
        ports = self.config.http_ports.values()
        return [f"http://{host}:{port}" for port in ports for host in ("127.0.0.1", "localhost")]

    def _name(self, service: str, replica: int) -> str:
        return service if replica == 1 else f"{service}.{replica}"

    def _pidfile(self, service: str, replica: int = 1) -> Path:
        return self.config.root / f"{self._name(service, replica)}.pid"

    def log_path(self, service: str, replica: int = 1) -> Path:
        return self.config.root / "logs" / f"{self._name(service, replica)}.log"

    def service_pid(self, service: str, replica: int = 1) -> int | None:
        return procs.live_pid(self._pidfile(service, replica))

    def start_service(self, service: str, replica: int = 1, env: dict[str, str] | None = None) -> int:
        """Start one process of `service`; replica 2, 3, ... are more processes of it on their
        own ports, in the same consumer groups and over the same database."""
        pid = self.service_pid(service, replica)
        if pid is not None:
            return pid
        env = {**self.service_env(service), **(env or {})}
        env[f"{service.upper()}_HTTP_PORT"] = str(self._port(service, replica))
        return procs.spawn(
            [sys.executable, "-m", service],
            self.log_path(service, replica),
            self._pidfile(service, replica),
            env=env,
            cwd=REPO_ROOT,
        )

    def stop_service(self, service: str, replica: int = 1, timeout: float = 30.0) -> None:
        """SIGTERM (graceful: in-flight requests and the current batches finish), then wait."""
        pid = self.service_pid(service, replica)
        if pid is not None:
            procs.stop_pid(pid, timeout=timeout)
        self._pidfile(service, replica).unlink(missing_ok=True)

    def kill_service(self, service: str, replica: int = 1) -> None:
        """kill -9 the service process and its worker processes (its process group)."""
        pid = self.service_pid(service, replica)
        if pid is not None:
            procs.kill_pid(pid, group=True)
        self._pidfile(service, replica).unlink(missing_ok=True)

    def wait_ready(
        self, services: tuple[str, ...] = SERVICES, timeout: float = 60.0, replica: int = 1
    ) -> None:
        deadline = time.monotonic() + timeout
        pending = list(services)
        last: dict[str, str] = {}
        while pending and time.monotonic() < deadline:
            for service in list(pending):
                if self.service_pid(service, replica) is None:
                    log = procs.tail(self.log_path(service, replica))
                    raise DevstackError(f"{self._name(service, replica)} exited:\n{log}")
                try:
                    r = httpx.get(self.url(service, replica) + "/ready", timeout=5)
                    last[service] = f"{r.status_code} {r.text[:300]}"
                    if r.status_code == 200:
                        pending.remove(service)
                except httpx.HTTPError as exc:
                    last[service] = repr(exc)
            time.sleep(0.3)
        if pending:
            detail = "\n".join(
                f"{s}: {last.get(s)}\n{procs.tail(self.log_path(s, replica), 20)}" for s in pending
            )
            raise DevstackError(f"not ready after {timeout:.0f}s:\n{detail}")

    def start_services(self) -> None:
        for service in SERVICES:
            self.start_service(service)
        self.wait_ready()

    def up(self, *, seed: bool = True) -> None:
        """Everything `make up` does: infrastructure, schema, topics, demo data, services."""
        self.start_infra()
        self.prepare(seed=seed)
        try:
            self.start_services()
        except Exception:
            self.stop_all()
            raise

    def stop_all(self) -> None:
        for pidfile in sorted(self.config.root.glob("*.*.pid")):  # extra replicas
            service, replica = pidfile.name.split(".")[:2]
            self.stop_service(service, int(replica))
        for service in SERVICES:
            self.stop_service(service)
        self.kafka.stop()
        self.postgres.stop()
