"""Kafka client factories. Clients are built on demand, never at import."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


def build_producer(bootstrap: str, *, client_id: str) -> AIOKafkaProducer:
    # Idempotent + acks=all: a retried send is never written twice, and a write is only
    # acknowledged once the in-sync replicas hold it. linger groups records into batches.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=2,
        max_batch_size=256 * 1024,
        request_timeout_ms=15_000,
        retry_backoff_ms=200,
    )


def build_consumer(bootstrap: str, *, group_id: str, client_id: str, topics: list[str]) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=group_id,
        client_id=client_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_poll_interval_ms=300_000,
        session_timeout_ms=10_000,
        heartbeat_interval_ms=3_000,
        fetch_max_wait_ms=100,
    )
