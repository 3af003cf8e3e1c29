"""Kafka client factories. Clients are built on demand, never at import."""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


@dataclass(frozen=True)
class FetchPolicy:
    """How long the broker may hold a consumer's fetch request before it answers: at once
    when `min_bytes` of records are there, else after `max_wait_ms`."""

    min_bytes: int
    max_wait_ms: int


# Someone waits on this group (routing's inbox): a fetch returns as soon as one record is
# there. aiokafka has one fetch in flight per broker, for the partitions it holds no records
# of, so a record on a partition just emptied waits for that fetch: at most max_wait_ms.
PROMPT = FetchPolicy(min_bytes=1, max_wait_ms=100)
# Nobody waits on this group within a second (figures, audit, hot spots, the citizen's
# status view): the broker answers once 256 KiB are there or after half a second. Each
# fetch answered is a request the broker handles: an idle group's prompt fetches came back
# empty ten times a second. Measured with the commit interval (OffsetCommits): an idle
# stack 0.21 -> 0.14 cores; under load no difference of its own (bench/analysis.md).
BULK = FetchPolicy(min_bytes=256 * 1024, max_wait_ms=500)


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


def build_consumer(
    bootstrap: str, *, group_id: str, client_id: str, topics: list[str], fetch: FetchPolicy = PROMPT
) -> AIOKafkaConsumer:
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
        fetch_min_bytes=fetch.min_bytes,
        fetch_max_wait_ms=fetch.max_wait_ms,
    )
