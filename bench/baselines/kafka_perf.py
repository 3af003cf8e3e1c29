"""Baseline: Kafka's own `ProducerPerformance` against the bench broker.

500-byte records, acks=all, idempotent producer, to a 6-partition topic (as Huiyin's).
"""

from __future__ import annotations

import asyncio
import re
import subprocess

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from huiyin.devstack.stack import Stack

TOPIC = "bench.producer-perf"
RECORD_SIZE = 500
_FINAL = re.compile(
    r"(?P<records>\d+) records sent, (?P<rps>[\d.]+) records/sec \((?P<mbps>[\d.]+) MB/sec\), "
    r"(?P<avg>[\d.]+) ms avg latency, (?P<max>[\d.]+) ms max latency, (?P<p50>\d+) ms 50th, "
    r"(?P<p95>\d+) ms 95th, (?P<p99>\d+) ms 99th"
)


async def _ensure_topic(bootstrap: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="bench-admin")
    await admin.start()
    try:
        if TOPIC not in await admin.list_topics():
            await admin.create_topics([NewTopic(TOPIC, num_partitions=6, replication_factor=1)])
    except TopicAlreadyExistsError:
        pass  # created since we looked: what we wanted
    finally:
        await admin.close()


def parse(output: str) -> dict[str, float]:
    """The final summary line of ProducerPerformance (the per-window lines come before it)."""
    matches = list(_FINAL.finditer(output))
    if not matches:
        raise RuntimeError(f"no summary line in ProducerPerformance output:\n{output[-2000:]}")
    m = matches[-1]
    return {
        "records": int(m["records"]),
        "records_per_s": float(m["rps"]),
        "mb_per_s": float(m["mbps"]),
        "latency_avg_ms": float(m["avg"]),
        "latency_p50_ms": float(m["p50"]),
        "latency_p99_ms": float(m["p99"]),
        "latency_max_ms": float(m["max"]),
    }


def run(stack: Stack, *, records: int) -> dict[str, float]:
    bootstrap = stack.kafka.bootstrap_servers
    asyncio.run(_ensure_topic(bootstrap))
    argv = [
        "java",
        "-Xmx512m",
        "-cp",
        f"{stack.kafka.lib_dir}/*",
        "org.apache.kafka.tools.ProducerPerformance",
        "--topic",
        TOPIC,
        "--num-records",
        str(records),
        "--record-size",
        str(RECORD_SIZE),
        "--throughput",
        "-1",
        "--producer-props",
        f"bootstrap.servers={bootstrap}",
        "acks=all",
        "enable.idempotence=true",
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ProducerPerformance failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return parse(done.stdout)
