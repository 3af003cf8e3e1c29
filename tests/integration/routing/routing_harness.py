"""The routing service running in-process on real PostgreSQL and Kafka, seeded with the demo
city, plus helpers: sign in, produce intake/feedback events, find points in the demo city,
read the outbox. Test modules import `routing_env_fixture` (the `routing_env` fixture) from here."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaProducer
from shapely.geometry import shape

from huiyin.db import asyncpg_dsn
from huiyin.events import EventData, decode_event, encode_event, new_event
from huiyin.events.complaints import ComplaintSubmitted, Location, Subject
from routing import demo
from routing.entrypoints.app import create_app
from routing.settings import RoutingSettings
from routing.sla.config import SlaSettings
from tests.support.apps import eventually, running
from tests.support.infra import Infra

GULOU, MISHI = "ps-zhonglou-gulou", "ps-zhonglou-mishi"


@dataclass
class RoutingEnv:
    client: httpx.AsyncClient
    db: str
    prefix: str
    bootstrap: str
    tokens: dict[str, str]

    async def as_(self, username: str, password: str = demo.DEMO_PASSWORD) -> dict[str, str]:
        """Authorization headers of a (demo) user, signed in once per test."""
        if username not in self.tokens:
            r = await self.client.post(
                "/api/v1/auth/token", data={"username": username, "password": password}
            )
            assert r.status_code == 200, r.text
            self.tokens[username] = r.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    async def produce(self, *items: EventData) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, enable_idempotence=True, acks="all")
        await producer.start()
        try:
            for data in items:
                event = new_event(data, source="/huiyin/test", time=datetime.now(UTC))
                await producer.send_and_wait(
                    self.prefix + data.topic, encode_event(event), key=event.key.encode()
                )
        finally:
            await producer.stop()

    async def submit(self, **fields: Any) -> uuid.UUID:
        complaint = submitted(**fields)
        await self.produce(complaint)
        return complaint.complaint_id

    async def case(self, complaint_id: uuid.UUID, user: str = "demo.supervision") -> httpx.Response:
        return await self.client.get(f"/api/v1/assignments/{complaint_id}", headers=await self.as_(user))

    async def case_when(
        self, complaint_id: uuid.UUID, until: Callable[[dict[str, Any]], bool], timeout: float = 30
    ) -> dict[str, Any]:
        async def probe() -> dict[str, Any]:
            r = await self.case(complaint_id)
            return r.json() if r.status_code == 200 else {"status": r.status_code}

        return await eventually(probe, until=lambda c: "state" in c and until(c), timeout=timeout)

    async def act(self, complaint_id: uuid.UUID, action: str, user: str, **body: Any) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/assignments/{complaint_id}/{action}", json=body, headers=await self.as_(user)
        )

    async def outbox(self, complaint_id: uuid.UUID) -> list[Any]:
        """The events routing wrote for a complaint, in order (decoded from the outbox)."""
        conn = await asyncpg.connect(asyncpg_dsn(self.db))
        try:
            rows = await conn.fetch(
                "SELECT payload FROM outbox WHERE key = $1 ORDER BY id", str(complaint_id)
            )
        finally:
            await conn.close()
        return [decode_event(r["payload"]).data for r in rows]


def submitted(
    *,
    category: str = "theft",
    lat: float | None = None,
    lon: float | None = None,
    subject: Subject | None = None,
    priority: str = "normal",
) -> ComplaintSubmitted:
    return ComplaintSubmitted(
        complaint_id=uuid.uuid4(),
        tracking_code=f"HY-{uuid.uuid4().hex[:8].upper()}",
        access_token_sha256="0" * 64,
        category=category,
        priority=priority,  # type: ignore[arg-type]
        description="电动车在楼下被盗 (test complaint)",
        location=Location(lat=lat, lon=lon, address="测试地址"),
        subject=subject,
        channel="web",
        submitted_at=datetime.now(UTC),
        anonymous=True,
    )


def _areas() -> dict[str, Any]:
    return {u["id"]: shape(u["jurisdiction"]) for u in demo.demo_units() if u["jurisdiction"]}


def inside(unit_id: str, *, avoid: tuple[str, ...] = ("cpo-gulou-xiaohe",)) -> dict[str, float]:
    """A point well inside a unit's area (and outside the smaller units named in `avoid`)."""
    areas = _areas()
    area = areas[unit_id]
    for other in avoid:
        area = area.difference(areas[other].buffer(0.002))
    point = area.buffer(-0.002).representative_point()
    return {"lat": point.y, "lon": point.x}


def border(a: str, b: str) -> dict[str, float]:
    """A vertex shared by exactly the stations a and b (exact coordinates: on both borders)."""
    areas = {k: v for k, v in _areas().items() if k.startswith("ps-")}
    shared = set(areas[a].exterior.coords) & set(areas[b].exterior.coords)
    others = {c for k, v in areas.items() if k not in (a, b) for c in v.exterior.coords}
    lon, lat = sorted(shared - others)[0]
    return {"lat": lat, "lon": lon}


@pytest.fixture(name="routing_env")
async def routing_env_fixture(infra: Infra, topic_prefix: str) -> AsyncIterator[RoutingEnv]:
    db = infra.create_database("routing")
    await demo.seed(db)
    settings = RoutingSettings(
        database_url=db,
        kafka_bootstrap_servers=infra.kafka_bootstrap,
        kafka_topic_prefix=topic_prefix,
        environment="test",
        outbox_idle_poll_s=0.2,
        inbox_lanes=2,  # the lanes path (the default, 1, runs in the e2e and fault suites)
    )
    app = create_app(settings, sla_settings=SlaSettings(max_sleep_s=0.2, status_refresh_s=0.5))
    async with running(app) as client:
        yield RoutingEnv(client, db, topic_prefix, infra.kafka_bootstrap, {})
