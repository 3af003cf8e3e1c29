"""The system under test: Kafka, PostgreSQL and the three services as processes, started
by the repo's own launcher (what `make up` runs), on free ports in a temporary directory.

Two deviations from `make up`, both for measuring: PostgreSQL records commit timestamps
(`track_commit_timestamp`, so the moment an inbox row became visible can be read
afterwards), and intake's per-address filing throttle is off (all load comes from one
address, 127.0.0.1).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psycopg

from huiyin.devstack.ports import free_ports
from huiyin.devstack.stack import SERVICES, Stack, StackConfig

BENCH_ENV = {"LOG_JSON": "true", "INTAKE_FILING_RATE_PER_MINUTE": "0"}


def bench_config(root: Path, workers: dict[str, int]) -> StackConfig:
    pg, kafka, controller, intake, routing, feedback = free_ports(6)
    return StackConfig(
        profile="bench",
        root=root,
        pg_port=pg,
        kafka_port=kafka,
        controller_port=controller,
        http_ports={"intake": intake, "routing": routing, "feedback": feedback},
        workers=dict(workers),
        env=dict(BENCH_ENV),
    )


@contextmanager
def infrastructure(workers: dict[str, int]) -> Iterator[Stack]:
    """Kafka and PostgreSQL running (commit timestamps on), schema, topics and demo data in
    place; the services are started by `start_services`. Everything stops on exit."""
    root = Path(tempfile.mkdtemp(prefix="huiyin-bench-"))
    root.chmod(0o755)  # PostgreSQL runs as an unprivileged user when we are root
    stack = Stack(bench_config(root, workers))
    try:
        # Kafka's JVM and PostgreSQL's initdb + restart take seconds each: side by side.
        with ThreadPoolExecutor(max_workers=1) as pool:
            kafka = pool.submit(_start_kafka, stack)
            stack.postgres.start()
            _track_commit_timestamps(stack)
            kafka.result()
        stack.prepare(seed=True)
        yield stack
    finally:
        stack.stop_all()
        shutil.rmtree(root, ignore_errors=True)


def _start_kafka(stack: Stack) -> None:
    stack.kafka.ensure_jars()
    stack.kafka.start()


# `--split-intake`: intake's API process(es) run no relay and no consumer; a second intake
# process (replica 2, no HTTP load) runs them (bench/analysis.md, session 6).
INTAKE_API_ONLY = {"RUN_RELAY": "false", "RUN_CONSUMERS": "false"}
INTAKE_BACKGROUND = {"INTAKE_WORKERS": "1"}


def start_services(stack: Stack, services: tuple[str, ...] = SERVICES, *, split_intake: bool = False) -> None:
    for service in services:
        if service == "intake" and split_intake:
            stack.start_service("intake", 1, env=INTAKE_API_ONLY)
            stack.start_service("intake", 2, env=INTAKE_BACKGROUND)
        else:
            stack.start_service(service)
    stack.wait_ready(services, timeout=90)
    if "intake" in services and split_intake:
        stack.wait_ready(("intake",), timeout=90, replica=2)


def dsn(stack: Stack, service: str) -> str:
    return stack.postgres.dsn(stack.config.database_name(service))


def server_dsn(stack: Stack, dbname: str = "postgres") -> str:
    return stack.postgres.dsn(dbname)


def process_roots(stack: Stack) -> dict[str, list[int]]:
    """Pids whose process trees are metered: each service (its second process too, when
    `--split-intake` runs one), Kafka, PostgreSQL."""
    roots = {s: [stack.service_pid(s), stack.service_pid(s, 2)] for s in SERVICES}
    roots["kafka"] = [stack.kafka.pid()]
    roots["postgres"] = [stack.postgres.pid()]
    return {name: live for name, pids in roots.items() if (live := [p for p in pids if p is not None])}


def _track_commit_timestamps(stack: Stack) -> None:
    with psycopg.connect(server_dsn(stack), autocommit=True) as conn:
        on = conn.execute("SHOW track_commit_timestamp").fetchone()
        if on is not None and on[0] == "on":
            return
        conn.execute("ALTER SYSTEM SET track_commit_timestamp = on")
    stack.postgres.restart()  # the setting takes effect only at server start
