"""The local launchers start real PostgreSQL and Kafka servers, serve clients, and stop."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from huiyin.devstack import LocalKafka, LocalPostgres, free_ports
from huiyin.devstack.commands import DevstackError
from huiyin.devstack.procs import is_alive

pytestmark = pytest.mark.integration


@pytest.fixture
def stack_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: that lives under a 0700 directory, which the unprivileged
    # PostgreSQL account cannot enter when the tests run as root.
    base = Path(tempfile.mkdtemp(prefix="huiyin-devstack-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base)


async def test_servers_start_serve_and_stop(stack_dir: Path) -> None:
    kafka_port, controller_port, pg_port = free_ports(3)
    pg = LocalPostgres(stack_dir / "pg", port=pg_port)
    kafka = LocalKafka(stack_dir / "kafka", port=kafka_port, controller_port=controller_port)
    try:
        started = time.monotonic()
        pg_pid = pg.start()
        pg_seconds = time.monotonic() - started
        assert pg.start() == pg_pid, "a running server is reused, not started twice"

        pg.ensure_database("devstack_check")
        pg.ensure_database("devstack_check")  # idempotent
        conn = await asyncpg.connect(pg.dsn("devstack_check"))
        try:
            assert await conn.fetchval("select 1") == 1
        finally:
            await conn.close()

        started = time.monotonic()
        kafka_pid = kafka.start()
        kafka_seconds = time.monotonic() - started
        assert kafka.start() == kafka_pid
        topic = await _round_trip(kafka.bootstrap_servers)
        print(f"postgres started in {pg_seconds:.1f} s, kafka in {kafka_seconds:.1f} s")

        # The test profile starts each run with no topics (make test-infra-up --fresh-kafka):
        # never while the broker runs; after a stop, a start formats afresh.
        with pytest.raises(DevstackError, match="running"):
            kafka.discard_storage()
        assert topic in await _topics(kafka.bootstrap_servers)
        kafka.stop()
        kafka.discard_storage()
        kafka_pid = kafka.start()
        assert topic not in await _topics(kafka.bootstrap_servers)
    finally:
        kafka.stop()
        pg.stop()

    assert not is_alive(kafka_pid)
    assert not is_alive(pg_pid)
    assert kafka.pid() is None
    assert pg.pid() is None


async def _topics(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def _round_trip(bootstrap: str) -> str:
    topic = f"devstack-{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    finally:
        await admin.close()

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"hello", key=b"k1")
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"{topic}-reader",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        record = await asyncio.wait_for(consumer.getone(), timeout=30)
    finally:
        await consumer.stop()
    assert (record.key, record.value) == (b"k1", b"hello")
    return topic
