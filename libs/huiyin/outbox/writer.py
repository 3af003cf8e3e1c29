"""Writing events to the outbox inside the caller's transaction."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from huiyin.events.envelope import Event
from huiyin.events.registry import encode_event
from huiyin.observability import tracing
from huiyin.sqlsets import column_params, unnest_insert

DEFAULT_LANES = 8
OUTBOX_COLUMNS = [
    ("event_id", "text"),
    ("event_type", "text"),
    ("topic", "text"),
    ("key", "text"),
    ("lane", "int2"),
    ("payload", "bytea"),
    ("headers", "jsonb"),
]
# One statement text for any number of events: prepared once per connection, nothing to compile.
INSERT_OUTBOX = text(unnest_insert("outbox", OUTBOX_COLUMNS))


def lane_of(key: str, lanes: int = DEFAULT_LANES) -> int:
    """Events of one key share a lane, and one relay owns a lane at a time: order is kept."""
    return zlib.crc32(key.encode()) % lanes


def outbox_rows(events: Sequence[Event[Any]], headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    # With tracing on, each event carries the trace of its own complaint (see huiyin.observability.tracing).
    trace_of = tracing.outbox_headers if headers is None and tracing.is_active() else None
    return [
        {
            "event_id": e.id,
            "event_type": e.type,
            "topic": e.topic,
            "key": e.key,
            "lane": lane_of(e.key),
            "payload": encode_event(e),
            "headers": trace_of(e.key) if trace_of is not None else headers or {},
        }
        for e in events
    ]


async def write_outbox(
    session: AsyncSession, events: Sequence[Event[Any]], headers: dict[str, str] | None = None
) -> None:
    if events:
        await session.execute(INSERT_OUTBOX, column_params(OUTBOX_COLUMNS, outbox_rows(events, headers)))
