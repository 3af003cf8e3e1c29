"""A submitted complaint reaches the right inbox with its deadlines and its explanation."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.partitioner import murmur2

from huiyin.db import asyncpg_dsn
from huiyin.events import decode_event, topics
from huiyin.events.assignments import ComplaintClosed, ComplaintRouted
from huiyin.events.complaints import ComplaintWithdrawn
from huiyin.settings import ServiceSettings
from tests.integration.routing.routing_harness import (  # noqa: F401
    GULOU,
    RoutingEnv,
    inside,
    routing_env_fixture,
    submitted,
)
from tests.support.apps import eventually

pytestmark = pytest.mark.integration


async def test_a_submitted_complaint_appears_in_the_right_inbox_with_its_explanation(
    routing_env: RoutingEnv,
) -> None:
    env = routing_env
    complaint_id = await env.submit(category="theft", **inside(GULOU))
    case = await env.case_when(complaint_id, lambda c: c["state"] == "routed")
    assert case["unit_id"] == GULOU
    assert case["explanation"].startswith(
        "routed to 钟楼分局鼓楼派出所 (Gulou Police Station (Zhonglou)) because the point"
    )
    assert case["assignments"][0]["rule"] == "jurisdiction"
    assert case["assignments"][0]["candidates"] == [{"unit_id": GULOU, "why": "chosen"}]
    assert case["cycles"][0]["ack_due"] < case["cycles"][0]["resolve_due"]

    r = await env.client.get(f"/api/v1/stations/{GULOU}/inbox", headers=await env.as_("demo.officer"))
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == 1
    row = page["items"][0]
    assert row["complaint_id"] == str(complaint_id)
    assert row["next_deadline"] == "ack"
    assert datetime.fromisoformat(row["next_due"]) == datetime.fromisoformat(case["cycles"][0]["ack_due"])
    assert row["time_left_s"] > 0 and row["overdue"] is False

    routed = await _routed_event_on_kafka(env, complaint_id)
    assert routed.unit_id == GULOU and routed.rule == "jurisdiction"
    assert routed.district_id == "bureau-zhonglou" and routed.unit_kind == "police_station"
    assert routed.explanation == case["explanation"]


async def _routed_event_on_kafka(env: RoutingEnv, complaint_id: object) -> ComplaintRouted:
    consumer = AIOKafkaConsumer(
        env.prefix + topics.ASSIGNMENTS,
        bootstrap_servers=env.bootstrap,
        auto_offset_reset="earliest",
        group_id=env.prefix + "test-reader",
    )
    await consumer.start()
    try:
        async with asyncio.timeout(30):
            async for record in consumer:
                data = decode_event(record.value or b"").data
                if isinstance(data, ComplaintRouted) and data.complaint_id == complaint_id:
                    return data
    finally:
        await consumer.stop()
    raise AssertionError("no ComplaintRouted on the assignments topic")


async def test_an_escalated_complaint_shows_in_the_bureaus_inbox_and_filters_work(
    routing_env: RoutingEnv,
) -> None:
    env = routing_env
    complaint_id = await env.submit(category="theft", **inside(GULOU))
    other = await env.submit(category="noise", **inside(GULOU))
    await env.case_when(complaint_id, lambda c: c["state"] == "routed")
    await env.case_when(other, lambda c: c["state"] == "routed")
    r = await env.client.post(
        f"/api/v1/complaints/{complaint_id}/escalate",
        json={"reason": "群众多次来电"},
        headers=await env.as_("demo.supervision"),
    )
    assert r.status_code == 201, r.text

    district = await env.as_("demo.district")
    bureau = (await env.client.get("/api/v1/stations/bureau-zhonglou/inbox", headers=district)).json()
    assert [(i["complaint_id"], i["escalated_to_you"], i["escalation_level"]) for i in bureau["items"]] == [
        (str(complaint_id), True, 1)
    ]
    officer = await env.as_("demo.officer")
    station = f"/api/v1/stations/{GULOU}/inbox"
    assert (await env.client.get(station, params={"category": "noise"}, headers=officer)).json()["total"] == 1
    assert (await env.client.get(station, params={"overdue": True}, headers=officer)).json()["total"] == 0
    assert (await env.client.get(station, params={"due_within_h": 1000}, headers=officer)).json()[
        "total"
    ] == 2
    assert (await env.client.get(station, params={"state": "resolved"}, headers=officer)).json()["total"] == 0
    page = (
        await env.client.get(station, params={"limit": 1, "offset": 1, "sort": "-submitted"}, headers=officer)
    ).json()
    assert page["total"] == 2 and [i["complaint_id"] for i in page["items"]] == [str(complaint_id)]
    assert (await env.client.get(station, params={"limit": 0}, headers=officer)).status_code == 422


async def test_a_complaint_submitted_twice_is_routed_once(routing_env: RoutingEnv) -> None:
    env = routing_env
    complaint = submitted(category="theft", **inside(GULOU))
    await env.produce(complaint, complaint)  # two events (two ids) for one complaint
    await eventually(lambda: _processed(env), until=lambda n: n == 2)
    case = await env.case_when(complaint.complaint_id, lambda c: c["state"] == "routed")
    assert len(case["assignments"]) == 1 and len(case["cycles"]) == 1
    assert [type(e) for e in await env.outbox(complaint.complaint_id)] == [ComplaintRouted]


async def _processed(env: RoutingEnv) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(env.db))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM processed_events WHERE consumer = 'routing'"))
    finally:
        await conn.close()


async def test_lanes_keep_each_complaints_order_across_every_partition(routing_env: RoutingEnv) -> None:
    """The inbox consumer applies partition groups concurrently (ROUTING_INBOX_LANES, 2 in
    these tests): sixty complaints spread over every partition, each withdrawn right after its
    submission, are each routed once and then withdrawn, in that order."""
    env = routing_env
    complaints = [submitted(category="theft", **inside(GULOU)) for _ in range(60)]
    now = datetime.now(UTC)
    withdrawals = [
        ComplaintWithdrawn(complaint_id=c.complaint_id, withdrawn_at=now, state_before="routed")
        for c in complaints
    ]
    await env.produce(*[item for pair in zip(complaints, withdrawals, strict=True) for item in pair])
    await eventually(lambda: _processed(env), until=lambda n: n == 120, timeout=60)
    partitions = {partition_of(c.complaint_id) for c in complaints}
    assert {p % 2 for p in partitions} == {0, 1}  # both lanes had work
    for c in complaints:
        case = await env.case_when(c.complaint_id, lambda k: k["state"] == "withdrawn")
        assert len(case["assignments"]) == 1
        assert [type(e) for e in await env.outbox(c.complaint_id)] == [ComplaintRouted, ComplaintClosed]


def partition_of(complaint_id: uuid.UUID) -> int:
    """The partition Kafka's default partitioner gives a complaint's events (keyed by its id)."""
    partitions = ServiceSettings.model_fields["kafka_partitions"].default
    return (murmur2(str(complaint_id).encode()) & 0x7FFFFFFF) % partitions
