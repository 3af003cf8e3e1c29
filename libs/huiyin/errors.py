"""Telling an outage (retry later, keep the message) from a bad message (dead-letter it)."""

from __future__ import annotations

import asyncpg
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, NodeNotReadyError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

INFRASTRUCTURE_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    ConnectionError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    OperationalError,
    PoolTimeout,  # every pooled connection busy: an overload, retry later
    InterfaceError,
    KafkaConnectionError,
    KafkaTimeoutError,
    NodeNotReadyError,
)


def is_infrastructure_error(exc: BaseException) -> bool:
    """True when the database or the broker is unreachable, not when the message is bad."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, INFRASTRUCTURE_ERRORS):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False
