"""Where the tests' real PostgreSQL and Kafka come from, in this order:

1. environment: `HUIYIN_TEST_PG_URL` (a server URL, no database) and `KAFKA_BOOTSTRAP_SERVERS`
   (what `make test` sets after starting its own servers);
2. a Docker engine: testcontainers' PostgreSQL and Kafka containers;
3. neither: the repo's own local launchers (embedded PostgreSQL, Kafka from Maven jars).
Never an in-memory stand-in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from huiyin.migrate import upgrade


@dataclass(frozen=True)
class Infra:
    pg_server_url: str  # postgresql://user@host:port (no database)
    kafka_bootstrap: str

    def create_database(self, service: str, revision: str = "head") -> str:
        """A fresh database migrated to `revision` of `service`; returns its asyncpg URL."""
        name = f"t_{service}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.pg_server_url + "/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = self.pg_server_url.replace("postgresql://", "postgresql+asyncpg://") + "/" + name
        upgrade(service, url, revision)
        return url


def _docker_available() -> bool:
    if shutil.which("docker") is None:
        return False
    result = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    return result.returncode == 0


@contextmanager
def provide_infra(tmp_root: Path) -> Iterator[Infra]:
    pg_url, bootstrap = os.environ.get("HUIYIN_TEST_PG_URL"), os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if pg_url and bootstrap:
        yield Infra(pg_url.rstrip("/"), bootstrap)
        return
    with ExitStack() as stack:
        if _docker_available():
            from testcontainers.kafka import KafkaContainer
            from testcontainers.postgres import PostgresContainer

            pg = stack.enter_context(
                PostgresContainer("postgres:16", username="postgres", password="postgres")
            )
            kafka = stack.enter_context(KafkaContainer("apache/kafka:4.1.1").with_kraft())
            host, port = pg.get_container_host_ip(), pg.get_exposed_port(5432)
            yield Infra(f"postgresql://postgres:postgres@{host}:{port}", kafka.get_bootstrap_server())
            return
        from huiyin.devstack.kafka import LocalKafka
        from huiyin.devstack.ports import free_ports
        from huiyin.devstack.postgres import LocalPostgres

        pg_port, kafka_port, controller_port = free_ports(3)
        postgres = LocalPostgres(tmp_root / "pg", port=pg_port)
        kafka = LocalKafka(tmp_root / "kafka", port=kafka_port, controller_port=controller_port)
        postgres.start()
        stack.callback(postgres.stop)
        kafka.ensure_jars()
        kafka.start()
        stack.callback(kafka.stop)
        yield Infra(f"postgresql://postgres@127.0.0.1:{pg_port}", kafka.bootstrap_servers)
