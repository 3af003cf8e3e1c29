"""Hot spot detection on real Kafka and PostgreSQL: formation at the threshold, the citizen
count, a different matter at the same place, linking after detection, scoped reads."""

from __future__ import annotations

import asyncio

import pytest

from huiyin.events.complaints import Location
from tests.integration.routing.hotspot_support import (
    BBQ,
    OTHER_MATTER,
    HotspotTopic,
    complaint,
    detected,
    matter,
    near,
    processed,
    seen_all,
    sightings,
)
from tests.integration.routing.routing_harness import GULOU, MISHI, RoutingEnv, inside, routing_env_fixture
from tests.support.apps import eventually

pytestmark = pytest.mark.integration
__all__ = ["routing_env_fixture"]


async def test_five_complaints_from_three_citizens_are_one_hotspot(routing_env: RoutingEnv) -> None:
    env = routing_env
    async with HotspotTopic(env) as topic:
        complaints = matter(["c1", "c2", "c3", "c1", "c2"])
        await env.produce(*complaints)
        [found] = await topic.wait_for("HotspotDetected")
        await asyncio.sleep(1.0)  # nothing else follows
        assert len(topic.of("HotspotDetected")) == 1
    assert set(found.complaint_ids) == {c.complaint_id for c in complaints}
    assert (found.complaint_count, found.citizen_count) == (5, 3)
    assert (found.category, found.unit_id, found.district_id) == ("public_order", GULOU, "bureau-zhonglou")
    assert "烧烤" in found.keywords
    head = await env.as_("demo.head")
    page = (await env.client.get("/api/v1/hotspots", headers=head)).json()
    assert [h["id"] for h in page["items"]] == [str(found.hotspot_id)]
    assert page["items"][0]["status"] == "detected" and page["items"][0]["complaint_count"] == 5
    view = (await env.client.get(f"/api/v1/hotspots/{found.hotspot_id}", headers=head)).json()
    assert {c["tracking_code"] for c in view["complaints"]} == {c.tracking_code for c in complaints}
    assert all(c["lat"] and c["lon"] and c["unit_id"] == GULOU for c in view["complaints"])
    assert view["growth"][-1]["total"] == 5 and view["sla"]["state"] == "none"


async def test_five_complaints_from_two_citizens_are_no_hotspot(routing_env: RoutingEnv) -> None:
    env = routing_env
    async with HotspotTopic(env) as topic:
        complaints = matter(["c1", "c2", "c1", "c2", "c1"])
        await env.produce(*complaints)
        groups = await seen_all(env, [c.complaint_id for c in complaints])
        await asyncio.sleep(1.0)
        assert topic.of("HotspotDetected") == []
    # They are one group all the same, waiting for a third citizen.
    assert len(set(groups.values())) == 1 and None not in groups.values()
    page = (await env.client.get("/api/v1/hotspots", headers=await env.as_("demo.supervision"))).json()
    assert page["total"] == 0


async def test_another_matter_at_the_same_place_is_not_grouped(routing_env: RoutingEnv) -> None:
    env = routing_env
    point = inside(GULOU)
    async with HotspotTopic(env) as topic:
        found = await detected(env, topic, ["c1", "c2", "c3", "c4", "c5"])
        other = complaint(OTHER_MATTER, "c6", near(point, 10))
        far = complaint(BBQ[0], "c7", inside(MISHI))  # the same words, another part of town
        await env.produce(other, far)
        groups = await seen_all(env, [other.complaint_id, far.complaint_id])
        await asyncio.sleep(0.5)
        assert topic.of("HotspotComplaintLinked") == []
    assert groups == {other.complaint_id: None, far.complaint_id: None}
    view = await env.client.get(
        f"/api/v1/hotspots/{found.hotspot_id}", headers=await env.as_("demo.supervision")
    )
    assert view.json()["complaint_count"] == 5


async def test_a_complaint_joining_after_detection_is_linked(routing_env: RoutingEnv) -> None:
    env = routing_env
    async with HotspotTopic(env) as topic:
        found = await detected(env, topic, ["c1", "c2", "c3", "c4", "c5"])
        late = complaint(BBQ[5], None, inside(GULOU))
        await env.produce(late)
        [linked] = await topic.wait_for("HotspotComplaintLinked")
    assert (linked.hotspot_id, linked.complaint_id) == (found.hotspot_id, late.complaint_id)
    assert (linked.complaint_count, linked.adopted) == (6, False)
    view = await env.client.get(f"/api/v1/hotspots/{found.hotspot_id}", headers=await env.as_("demo.head"))
    assert view.json()["complaint_count"] == 6 and view.json()["citizen_count"] == 6


async def test_complaints_without_a_point_are_skipped(routing_env: RoutingEnv) -> None:
    env = routing_env
    pointless = [
        complaint(BBQ[i], f"c{i}", inside(GULOU)).model_copy(update={"location": Location(address="东门")})
        for i in range(5)
    ]
    await env.produce(*pointless)
    # The detection consumer has taken all five (their ids are recorded as processed)...
    await eventually(lambda: processed(env, "routing-hotspots"), until=lambda n: n >= 5, timeout=30)
    # ...and stored none of them: "near each other" needs a point.
    assert await sightings(env, [c.complaint_id for c in pointless]) == {}


async def test_reads_are_scoped_to_the_unit_and_district(routing_env: RoutingEnv) -> None:
    env = routing_env
    async with HotspotTopic(env) as topic:
        found = await detected(env, topic, ["c1", "c2", "c3", "c4", "c5"])
    body = {"username": "mishi.officer", "password": "a-long-password-1", "role": "officer", "unit_id": MISHI}
    r = await env.client.post("/api/v1/users", json=body, headers=await env.as_("demo.admin"))
    assert r.status_code == 201, r.text
    other = await env.as_("mishi.officer", "a-long-password-1")
    assert (await env.client.get("/api/v1/hotspots", headers=other)).json()["total"] == 0
    r = await env.client.get(f"/api/v1/hotspots/{found.hotspot_id}", headers=other)
    assert r.status_code == 403, r.text
    for user in ("demo.district", "demo.officer", "demo.admin"):
        r = await env.client.get(f"/api/v1/hotspots/{found.hotspot_id}", headers=await env.as_(user))
        assert r.status_code == 200, (user, r.text)
    r = await env.client.get("/api/v1/hotspots", headers=await env.as_("demo.dispatch"))
    assert r.status_code == 403
    assert (await env.client.get("/api/v1/hotspots")).status_code == 401
    missing = await env.client.get(
        f"/api/v1/hotspots/{found.complaint_ids[0]}", headers=await env.as_("demo.admin")
    )
    assert missing.status_code == 404
