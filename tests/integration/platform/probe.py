"""A probe consumer for the platform tests: records each effect it applies in a table."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
from sqlalchemy import text

from huiyin.db import UnitOfWork, asyncpg_dsn
from huiyin.events import Event
from huiyin.events.complaints import ComplaintSubmitted, Location
from huiyin.outbox.relay import OutboxRelay
from huiyin.runtime import Runtime, build_runtime
from huiyin.settings import ServiceSettings

POISON_CATEGORY = "poison"


async def create_probe_table(database_url: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        # No unique constraint on purpose: exactly-once is the consumer's promise, not the table's.
        await conn.execute("CREATE TABLE probe_effects (event_id text NOT NULL, complaint_id uuid NOT NULL)")
    finally:
        await conn.close()


async def count_effects(database_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        rows = await conn.fetch("SELECT event_id, count(*) AS n FROM probe_effects GROUP BY event_id")
        return {r["event_id"]: r["n"] for r in rows}
    finally:
        await conn.close()


async def record_effect(uow: UnitOfWork, events: Sequence[Event[Any]]) -> None:
    for event in events:
        if event.data.category == POISON_CATEGORY:
            raise ValueError(f"handler refuses complaint {event.subject}")
    await uow.session.execute(
        text("INSERT INTO probe_effects (event_id, complaint_id) VALUES (:e, :c)"),
        [{"e": e.id, "c": e.data.complaint_id} for e in events],
    )


def submitted(category: str = "noise") -> ComplaintSubmitted:
    return ComplaintSubmitted(
        complaint_id=uuid.uuid4(),
        tracking_code="HY-TEST0001",
        access_token_sha256="0" * 64,
        category=category,
        priority="normal",
        description="楼下施工噪音一直持续到深夜",
        location=Location(lat=30.3, lon=120.1),
        channel="web",
        submitted_at=datetime.now(UTC),
        anonymous=True,
    )


def settings(database_url: str, bootstrap: str, prefix: str, name: str) -> ServiceSettings:
    return ServiceSettings(
        service_name=name,
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        kafka_topic_prefix=prefix,
        environment="test",
        outbox_idle_poll_s=0.2,
        consumer_max_attempts=2,
        log_json=False,
    )


def producer_with_relay(
    database_url: str, bootstrap: str, prefix: str, name: str, **relay_options: float
) -> tuple[Runtime, OutboxRelay]:
    """A producing runtime whose outbox relay is built with the test's own timings."""
    rt = build_runtime(settings(database_url, bootstrap, prefix, "producer"))
    relay = rt.relay = OutboxRelay(
        dsn=asyncpg_dsn(database_url),
        bootstrap=bootstrap,
        client_id=name,
        topic_prefix=prefix,
        idle_poll_s=relay_options.pop("idle_poll_s", 0.1),
        **relay_options,  # type: ignore[arg-type]
    )
    return rt, relay
