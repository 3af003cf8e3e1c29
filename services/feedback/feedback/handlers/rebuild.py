"""Rebuild the read model: empty it and apply every event of the five topics again.

The replay goes through the same handlers, and the same processed-event ids, as the live
read-model consumer, so the two can overlap: each event is applied once, whichever path
sees it first, and the facts do not depend on arrival order. The audit log and the
feedback workflow's own tables are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from feedback.adapters.readmodel_tables import READ_MODEL_TABLES
from feedback.adapters.replay import records_from_start
from feedback.entrypoints.consumers import READ_MODEL_GROUP
from feedback.handlers import readmodel
from feedback.settings import FeedbackSettings
from huiyin.clock import Clock
from huiyin.events import REGISTRY, topics
from huiyin.messaging.consumer import IdempotentConsumer
from huiyin.messaging.decoding import SharedDecoder
from huiyin.messaging.dlq import DeadLetters
from huiyin.messaging.handlers import handlers_by_type
from huiyin.messaging.kafka import build_consumer, build_producer
from huiyin.runtime import build_runtime


@dataclass(frozen=True)
class RebuildReport:
    records: int  # read from the topics
    applied: int  # distinct events applied
    duplicates: int  # redeliveries of an event already applied


async def rebuild_read_model(settings: FeedbackSettings, *, clock: Clock | None = None) -> RebuildReport:
    runtime = build_runtime(settings, clock=clock)
    bootstrap = settings.kafka_bootstrap_servers
    dead_letters = DeadLetters(lambda: build_producer(bootstrap, client_id=f"{settings.kafka_client_id}-dlq"))
    applier = IdempotentConsumer(
        name=READ_MODEL_GROUP,
        consumer_factory=lambda: build_consumer(bootstrap, group_id="unused", client_id="unused", topics=[]),
        decoder=SharedDecoder(REGISTRY, capacity=0),  # one group: nothing to share
        handlers=handlers_by_type(readmodel.handler_table()),
        uow_factory=runtime.uow,
        dead_letters=dead_letters,
        batch_size=settings.consumer_batch_size,
        max_attempts=settings.consumer_max_attempts,
    )
    try:
        async with runtime.uow() as uow:
            await uow.session.execute(
                text("SELECT pg_advisory_xact_lock(:k)"), {"k": readmodel.READ_MODEL_LOCK}
            )
            await uow.session.execute(text(f"TRUNCATE {', '.join(READ_MODEL_TABLES)}"))
            await uow.session.execute(
                text("DELETE FROM processed_events WHERE consumer = :c"), {"c": READ_MODEL_GROUP}
            )
            await uow.commit()
        seen = 0
        physical = [settings.kafka_topic_prefix + t for t in topics.ALL]
        async for records in records_from_start(bootstrap, physical, batch=settings.consumer_batch_size):
            seen += len(records)
            await applier.process(records)
        return RebuildReport(seen, applier.status.processed_total, applier.status.duplicates_total)
    finally:
        await dead_letters.close()
        await runtime.close()
