"""Helpers of the hot spot tests: complaints about one matter at one place, and the
`hotspots` topic as the tests read it (decoded, in arrival order)."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from huiyin.db import asyncpg_dsn
from huiyin.events import topics
from huiyin.events.complaints import ComplaintSubmitted, Location
from tests.integration.routing.routing_harness import GULOU, RoutingEnv, inside, submitted
from tests.support.apps import eventually
from tests.support.topic_recorder import TopicRecorder

# Five wordings of one matter: a barbecue stall at the east gate, smoke and noise at night.
BBQ = [
    "小区东门外的烧烤摊每天半夜还在营业，油烟很大，噪音吵得睡不着",
    "东门外烧烤摊半夜营业到两三点，油烟和噪音太大，居民没法睡觉",
    "小区东门烧烤摊夜里噪音很大，油烟呛人，吵得人睡不着觉",
    "每天半夜小区东门外烧烤摊噪音扰民，油烟很大",
    "东门口的烧烤摊半夜吵闹，油烟大，影响休息",
    "东门外烧烤摊又在半夜营业，油烟噪音很大，睡不着",
]
OTHER_MATTER = "停车场里我的电动车电瓶被人偷了，监控也是坏的"


def near(point: dict[str, float], east_m: float, north_m: float = 0.0) -> dict[str, float]:
    lat = point["lat"] + north_m / 111_320
    return {"lat": lat, "lon": point["lon"] + east_m / (111_320 * math.cos(math.radians(lat)))}


def complaint(
    text: str,
    citizen: str | None,
    at: dict[str, float],
    *,
    category: str = "public_order",
    minutes_ago: int = 0,
) -> ComplaintSubmitted:
    base = submitted(category=category, lat=at["lat"], lon=at["lon"])
    return base.model_copy(
        update={
            "description": text,
            "citizen_ref": citizen,
            "location": Location(lat=at["lat"], lon=at["lon"], address="东门"),
            "submitted_at": datetime.now(UTC) - timedelta(minutes=minutes_ago),
        }
    )


def matter(citizens: list[str | None], *, where: dict[str, float] | None = None) -> list[ComplaintSubmitted]:
    """One complaint per citizen about the barbecue stall, within 100 m of each other."""
    point = where or inside(GULOU)
    return [
        complaint(BBQ[i % len(BBQ)], c, near(point, 20 * i, -15 * i), minutes_ago=len(citizens) - i)
        for i, c in enumerate(citizens)
    ]


class HotspotTopic(TopicRecorder):
    def __init__(self, env: RoutingEnv) -> None:
        super().__init__(env.bootstrap, env.prefix + topics.HOTSPOTS)

    def of(self, kind: str, hotspot_id: uuid.UUID | None = None) -> list[Any]:
        return [
            e.data
            for e in self.events
            if type(e.data).__name__ == kind and (hotspot_id is None or e.data.hotspot_id == hotspot_id)
        ]

    async def wait_for(self, kind: str, count: int = 1, timeout: float = 30) -> list[Any]:
        return await eventually(
            lambda: _now(self.of(kind)), until=lambda found: len(found) >= count, timeout=timeout
        )


async def _now(value: list[Any]) -> list[Any]:
    return value


async def sightings(env: RoutingEnv, ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID | None]:
    """complaint id -> the group detection put it in (None: alone), for those it has seen."""
    conn = await asyncpg.connect(asyncpg_dsn(env.db))
    try:
        rows = await conn.fetch(
            "SELECT complaint_id, group_id FROM hotspot_sightings WHERE complaint_id = ANY($1::uuid[])", ids
        )
    finally:
        await conn.close()
    return {r["complaint_id"]: r["group_id"] for r in rows}


async def processed(env: RoutingEnv, consumer: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(env.db))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM processed_events WHERE consumer = $1", consumer))
    finally:
        await conn.close()


async def seen_all(env: RoutingEnv, ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID | None]:
    return await eventually(
        lambda: sightings(env, ids), until=lambda found: len(found) == len(ids), timeout=30
    )


async def detected(env: RoutingEnv, topic: HotspotTopic, citizens: list[str | None]) -> Any:
    """A hot spot formed by one complaint per citizen; returns its HotspotDetected."""
    complaints = matter(citizens)
    await env.produce(*complaints)
    ids = {c.complaint_id for c in complaints}
    found = await eventually(
        lambda: _now([d for d in topic.of("HotspotDetected") if set(d.complaint_ids) & ids]),
        until=bool,
        timeout=30,
    )
    return found[0]
