"""Building filings and talking to Kafka the way the other services would."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from huiyin.events import Event, EventData, decode_event, encode_event, new_event
from huiyin.events import assignments as a


def complaint_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "noise",
        "description": "楼上邻居每天夜里十二点以后还在装修，电钻声音很大，影响休息。",
        "location": {"lat": 30.2741, "lon": 120.1551, "address": "汇音市西湖区文三路 100 号"},
        "channel": "web",
        "priority": "normal",
        "contact": {"name": "张三", "phone": "13800138000", "email": "zhang@example.com"},
    }
    body.update(overrides)
    return body


async def produce(
    bootstrap: str, prefix: str, *payloads: EventData, source: str = "/huiyin/routing"
) -> list[Event[Any]]:
    """Publish CloudEvents as another service's relay would (keyed by complaint id)."""
    events = [new_event(p, source=source, time=datetime.now(UTC)) for p in payloads]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for e in events:
            await producer.send_and_wait(prefix + e.topic, value=encode_event(e), key=e.key.encode())
    finally:
        await producer.stop()
    return events


async def read_topic(
    bootstrap: str, topic: str, *, settle_s: float = 1.0, timeout_s: float = 15.0
) -> list[Event[Any]]:
    """Every event on `topic` from the beginning, reading until nothing new arrives for `settle_s`."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    out: list[Event[Any]] = []
    try:
        deadline, quiet_since = time.monotonic() + timeout_s, time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - quiet_since < settle_s:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                out.extend(decode_event(r.value or b"") for r in records)
                quiet_since = time.monotonic()
    finally:
        await consumer.stop()
    return out


def routed(
    complaint_id: uuid.UUID,
    *,
    unit_id: str = "ps-xihu",
    unit_name: str = "西湖派出所",
    reason: str = "initial",
) -> a.ComplaintRouted:
    now = datetime.now(UTC)
    return a.ComplaintRouted(
        complaint_id=complaint_id,
        assignment_id=uuid.uuid4(),
        unit_id=unit_id,
        unit_name=unit_name,
        unit_kind="station",
        district_id="d-xihu",
        district_name="西湖分局",
        category="noise",
        priority="normal",
        reason=reason,  # type: ignore[arg-type]
        rule="jurisdiction",
        explanation="the point lies in the station's jurisdiction",
        candidates=[a.Candidate(unit_id=unit_id, why="covers the point")],
        routed_at=now,
        cycle=1,
        ack_due=now + timedelta(hours=2),
        resolve_due=now + timedelta(days=5),
        calendar="workdays",
    )
