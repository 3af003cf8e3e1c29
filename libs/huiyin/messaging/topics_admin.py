"""Create the topics the code expects (idempotent) and report what exists."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from huiyin.events import topics

# Keep history so a read model can be rebuilt by replaying from the start.
TOPIC_CONFIG = {"retention.ms": "-1", "cleanup.policy": "delete"}


async def ensure_topics(
    bootstrap: str, *, partitions: int = 6, replication: int = 1, prefix: str = ""
) -> list[str]:
    """Create every topic (and its DLQ) that is missing; return the names created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="huiyin-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [prefix + t for t in topics.all_with_dlq() if prefix + t not in existing]
        if not wanted:
            return []
        new = [
            NewTopic(
                name=t,
                num_partitions=partitions,
                replication_factor=replication,
                topic_configs=TOPIC_CONFIG,
            )
            for t in wanted
        ]
        try:
            await admin.create_topics(new)
        except TopicAlreadyExistsError:
            pass  # another process created them between list and create: the goal holds
        return wanted
    finally:
        await admin.close()


async def describe_topics(bootstrap: str, *, prefix: str = "") -> dict[str, int]:
    """Topic name -> partition count, for the topics Huiyin uses."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="huiyin-admin")
    await admin.start()
    try:
        described = await admin.describe_topics([prefix + t for t in topics.all_with_dlq()])
        return {d["topic"]: len(d["partitions"]) for d in described if not d.get("error_code")}
    finally:
        await admin.close()
