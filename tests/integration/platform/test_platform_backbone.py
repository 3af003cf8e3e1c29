"""The event backbone on real PostgreSQL and real Kafka: outbox -> relay -> idempotent consumer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiokafka import AIOKafkaProducer

from huiyin.events import encode_event, new_event, topics
from huiyin.events.complaints import ComplaintSubmitted
from huiyin.messaging.dlq import read_dead_letters
from huiyin.runtime import ConsumerSpec, Runtime, build_runtime
from tests.integration.platform import probe
from tests.support.apps import eventually
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


@dataclass
class Pair:
    producer: Runtime  # stands for the service that writes through its outbox
    consumer: Runtime  # stands for another service consuming that topic
    consumer_db: str
    prefix: str
    bootstrap: str


@pytest.fixture
async def pair(infra: Infra, topic_prefix: str) -> AsyncIterator[Pair]:
    producer_db = infra.create_database("intake", revision="0001")
    consumer_db = infra.create_database("routing", revision="0001")
    await probe.create_probe_table(consumer_db)
    producer = build_runtime(probe.settings(producer_db, infra.kafka_bootstrap, topic_prefix, "producer"))
    consumer = build_runtime(
        probe.settings(consumer_db, infra.kafka_bootstrap, topic_prefix, "consumer"),
        consumers=[ConsumerSpec("probe", [topics.COMPLAINTS], {ComplaintSubmitted: [probe.record_effect]})],
    )
    await producer.start()
    await consumer.start()
    try:
        yield Pair(producer, consumer, consumer_db, topic_prefix, infra.kafka_bootstrap)
    finally:
        await producer.close()
        await consumer.close()


async def produce_raw(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value=value, key=b"k")
    finally:
        await producer.stop()


async def test_event_through_outbox_is_applied_once_by_another_service(pair: Pair) -> None:
    async with pair.producer.uow() as uow:
        events = [uow.emit(probe.submitted()) for _ in range(25)]
        await uow.commit()

    effects = await eventually(
        lambda: probe.count_effects(pair.consumer_db), until=lambda e: len(e) == 25, timeout=30
    )
    assert effects == {e.id: 1 for e in events}
    assert pair.producer.relay is not None
    assert pair.producer.relay.status.published_total == 25


async def test_redelivered_event_changes_nothing(pair: Pair) -> None:
    event = new_event(probe.submitted(), source="/test", time=probe.submitted().submitted_at)
    raw = encode_event(event)
    await produce_raw(pair.bootstrap, pair.prefix + topics.COMPLAINTS, [raw, raw, raw])

    consumer = pair.consumer.consumers[0]
    await eventually(
        lambda: _async(consumer.status.processed_total + consumer.status.duplicates_total),
        until=lambda n: n >= 3,
    )
    assert await probe.count_effects(pair.consumer_db) == {event.id: 1}
    assert consumer.status.processed_total == 1
    assert consumer.status.duplicates_total == 2


async def test_poison_messages_go_to_the_dlq_and_the_consumer_goes_on(pair: Pair) -> None:
    failing = new_event(
        probe.submitted(category=probe.POISON_CATEGORY), source="/test", time=probe.submitted().submitted_at
    )
    good = new_event(probe.submitted(), source="/test", time=probe.submitted().submitted_at)
    await produce_raw(
        pair.bootstrap,
        pair.prefix + topics.COMPLAINTS,
        [b"{not json", encode_event(failing), encode_event(good)],
    )

    await eventually(lambda: probe.count_effects(pair.consumer_db), until=lambda e: good.id in e, timeout=30)
    letters = await eventually(
        lambda: read_dead_letters(pair.bootstrap, topics.COMPLAINTS, prefix=pair.prefix),
        until=lambda found: len(found) == 2,
        timeout=30,
    )
    errors = sorted(letter.error for letter in letters)
    assert errors[0].startswith("EventDecodeError: not JSON")
    assert errors[1].startswith("ValueError: handler refuses complaint")
    assert {letter.original_topic for letter in letters} == {pair.prefix + topics.COMPLAINTS}
    assert await probe.count_effects(pair.consumer_db) == {good.id: 1}


async def _async(value: int) -> int:
    return value
