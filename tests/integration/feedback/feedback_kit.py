"""Helpers for the feedback service's integration tests: settings, a producer that writes
events "from another service" straight to the topics, event builders, staff tokens."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from feedback.entrypoints.consumers import consumer_specs
from feedback.settings import FeedbackSettings
from huiyin.auth.tokens import Principal, Role, issue_token
from huiyin.db import asyncpg_dsn
from huiyin.events import EventData, encode_event, new_event
from huiyin.events import assignments as a
from huiyin.events import complaints as c
from huiyin.events import sla as s
from huiyin.events.envelope import Event
from huiyin.messaging.handlers import handlers_by_type

SH = timezone(timedelta(hours=8))


def sh(day: str, hhmm: str) -> datetime:
    """A moment given in Asia/Shanghai wall time, as UTC."""
    return datetime.fromisoformat(f"{day}T{hhmm}:00").replace(tzinfo=SH).astimezone(UTC)


def settings(database_url: str, bootstrap: str, prefix: str, **extra: Any) -> FeedbackSettings:
    return FeedbackSettings(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        kafka_topic_prefix=prefix,
        environment="test",
        outbox_idle_poll_s=0.2,
        feedback_expiry_poll_s=0.2,
        log_json=False,
        log_level="WARNING",
        **extra,
    )


def staff_token(s: FeedbackSettings, role: Role, unit_id: str | None = None) -> dict[str, str]:
    principal = Principal(user_id=f"u-{role.value}", username=role.value, role=role, unit_id=unit_id)
    token = issue_token(secret=s.jwt_secret, principal=principal, now=datetime.now(UTC), ttl_s=3600)
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Unit:
    unit_id: str
    name: str
    district_id: str
    kind: str = "station"


@dataclass
class Producer:
    """Writes CloudEvents to `prefix + topic`, keyed by complaint id, like the services do."""

    bootstrap: str
    prefix: str
    sent: list[Event[Any]] = field(default_factory=list)
    _producer: AIOKafkaProducer | None = None

    async def __aenter__(self) -> Producer:
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap, enable_idempotence=True, acks="all"
        )
        await self._producer.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._producer is not None
        await self._producer.stop()

    async def send(self, data: EventData, at: datetime, *, source: str = "/huiyin/routing") -> Event[Any]:
        event = new_event(data, source=source, time=at)
        await self.resend(event)
        self.sent.append(event)
        return event

    async def resend(self, event: Event[Any]) -> None:
        """Deliver an event again (same id): the consumers must apply it once."""
        assert self._producer is not None
        await self._producer.send_and_wait(
            self.prefix + event.topic, value=encode_event(event), key=event.key.encode()
        )


def submitted(
    complaint_id: uuid.UUID, code: str, token: str, at: datetime, category: str
) -> c.ComplaintSubmitted:
    return c.ComplaintSubmitted(
        complaint_id=complaint_id,
        tracking_code=code,
        access_token_sha256=hashlib.sha256(token.encode()).hexdigest(),
        category=category,
        priority="normal",
        description="夜间施工噪音",
        location=c.Location(lat=30.27, lon=120.15),
        channel="web",
        submitted_at=at,
        anonymous=True,
    )


def routed(
    complaint_id: uuid.UUID, assignment_id: uuid.UUID, unit: Unit, at: datetime, category: str,
    *, ack_h: float = 1, resolve_h: float = 8, reason: a.RouteReason = "initial",
) -> a.ComplaintRouted:  # fmt: skip
    return a.ComplaintRouted(
        complaint_id=complaint_id,
        assignment_id=assignment_id,
        unit_id=unit.unit_id,
        unit_name=unit.name,
        unit_kind=unit.kind,
        district_id=unit.district_id,
        district_name=f"{unit.district_id} 区",
        category=category,
        priority="normal",
        reason=reason,
        rule="jurisdiction",
        explanation=f"位置在 {unit.name} 辖区 (point in polygon)",
        candidates=[a.Candidate(unit_id=unit.unit_id, why="jurisdiction")],
        routed_at=at,
        cycle=1,
        ack_due=at + timedelta(hours=ack_h),
        resolve_due=at + timedelta(hours=resolve_h),
        calendar="24x7",
    )


def outcome(
    kind: type[a.ComplaintAcknowledged] | type[a.ComplaintResolved], r: a.ComplaintRouted | a.ComplaintReopened,
    at: datetime, *, working_s: float | None = None, cycle: int = 1,
) -> a.DeadlineOutcome:  # fmt: skip
    due = r.ack_due if kind is a.ComplaintAcknowledged else r.resolve_due
    start = r.routed_at if isinstance(r, a.ComplaintRouted) else r.reopened_at
    wall = (at - start).total_seconds()
    extra: dict[str, Any] = {"answer": "已处理并答复"} if kind is a.ComplaintResolved else {}
    return kind(
        complaint_id=r.complaint_id, assignment_id=r.assignment_id, unit_id=r.unit_id, cycle=cycle,
        by="officer-7", at=at, due=due, met=at <= due, wall_s=wall,
        working_s=wall if working_s is None else working_s, **extra,
    )  # fmt: skip


def breached(
    r: a.ComplaintRouted | a.ComplaintReopened, kind: s.DeadlineKind, cycle: int = 1
) -> s.SlaBreached:
    due = r.ack_due if kind == "ack" else r.resolve_due
    return s.SlaBreached(
        complaint_id=r.complaint_id, assignment_id=r.assignment_id, unit_id=r.unit_id,
        cycle=cycle, kind=kind, due=due, at=due,
    )  # fmt: skip


def returned(r: a.ComplaintRouted, at: datetime, ack_met: bool | None) -> a.ComplaintReturned:
    return a.ComplaintReturned(
        complaint_id=r.complaint_id, assignment_id=r.assignment_id, unit_id=r.unit_id, cycle=1,
        reason="不属本所辖区", by="officer-3", at=at, ack_met=ack_met,
    )  # fmt: skip


async def db_scalar(database_url: str, sql: str, *args: Any) -> Any:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def db_execute(database_url: str, sql: str, *args: Any) -> str:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        return await conn.execute(sql, *args)
    finally:
        await conn.close()


def handled(group: str, events: list[Event[Any]]) -> int:
    """How many of `events` the feedback group has handlers for: it records those in
    `processed_events` and skips the others without a trace."""
    specs = {spec.group: spec for spec in consumer_specs(settings("unused", "unused", "unused."))}
    wanted = handlers_by_type(specs[group].handlers)
    return sum(1 for event in events if event.type in wanted)


async def processed(database_url: str, consumer: str) -> int:
    return int(
        await db_scalar(database_url, "SELECT count(*) FROM processed_events WHERE consumer = $1", consumer)
    )


async def outbox_payloads(database_url: str, event_type: str) -> list[bytes]:
    """The events the feedback service emitted (its outbox), oldest first."""
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        rows = await conn.fetch("SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", event_type)
        return [bytes(r["payload"]) for r in rows]
    finally:
        await conn.close()


async def db_rows(database_url: str, sql: str) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        return [dict(r) for r in await conn.fetch(sql)]
    finally:
        await conn.close()
