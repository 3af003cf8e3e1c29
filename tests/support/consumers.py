"""An IdempotentConsumer for unit tests: reads from a fake Kafka client and handles no event
type, so it needs no database and no dead-letter topic."""

from __future__ import annotations

from typing import Any

from huiyin.events import REGISTRY
from huiyin.messaging.decoding import SharedDecoder


def without_database(name: str, kafka: object, **settings: Any) -> dict[str, Any]:
    """Keyword arguments for `IdempotentConsumer(...)`: `kafka` stands in for AIOKafkaConsumer;
    `settings` are the consumer's own (batch_size, gather_s, stall_s, lanes...)."""
    return {
        "name": name,
        "consumer_factory": lambda: kafka,
        "decoder": SharedDecoder(REGISTRY),
        "handlers": {},
        "uow_factory": None,
        "dead_letters": None,
        **settings,
    }
