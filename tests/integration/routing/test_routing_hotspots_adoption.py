"""Adopting a hot spot on real Kafka and PostgreSQL: adoption with an owner and a deadline,
progress notes, linking while adopted, solving on time, the deadline firing HotspotOverdue
exactly once (second-long deadline), and the refusals (role, scope, input, version)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from huiyin.db import asyncpg_dsn
from tests.integration.routing.hotspot_support import BBQ, HotspotTopic, complaint, detected
from tests.integration.routing.routing_harness import GULOU, MISHI, RoutingEnv, inside, routing_env_fixture

pytestmark = pytest.mark.integration
__all__ = ["routing_env_fixture"]


def later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def post(env: RoutingEnv, user: str, path: str, **body: Any) -> Any:
    return await env.client.post(f"/api/v1/hotspots/{path}", json=body, headers=await env.as_(user))


async def timer_states(env: RoutingEnv) -> list[str]:
    conn = await asyncpg.connect(asyncpg_dsn(env.db))
    try:
        return [r["state"] for r in await conn.fetch("SELECT state FROM hotspot_timers ORDER BY id")]
    finally:
        await conn.close()


async def test_adopt_note_link_and_solve_on_time(routing_env: RoutingEnv) -> None:
    env = routing_env
    async with HotspotTopic(env) as topic:
        found = await detected(env, topic, ["c1", "c2", "c3", "c4", "c5"])
        hid = found.hotspot_id
        r = await post(
            env,
            "demo.supervision",
            f"{hid}/adopt",
            owner_unit_id=GULOU,
            deadline=later(3600),
            note="集中整治",
        )
        assert r.status_code == 200, r.text
        view = r.json()
        assert view["status"] == "adopted" and view["sla"]["state"] == "open"
        assert view["adoption"]["by"] == "demo.supervision" and view["owner_unit_id"] == GULOU
        [adopted] = await topic.wait_for("HotspotAdopted")
        assert (adopted.hotspot_id, adopted.owner_unit_id, adopted.note) == (hid, GULOU, "集中整治")
        assert set(adopted.complaint_ids) == set(found.complaint_ids)

        late = complaint(BBQ[5], "c6", inside(GULOU))
        await env.produce(late)
        [linked] = await topic.wait_for("HotspotComplaintLinked")
        assert (linked.complaint_id, linked.adopted, linked.complaint_count) == (late.complaint_id, True, 6)

        r = await post(env, "demo.officer", f"{hid}/notes", note="已约谈摊主，限期整改")
        assert r.status_code == 200, r.text
        assert [n["note"] for n in r.json()["notes"]] == ["已约谈摊主，限期整改"]
        [noted] = await topic.wait_for("HotspotProgressNoted")
        assert (noted.by, noted.owner_unit_id) == ("demo.officer", GULOU)

        stale = r.json()["version"] - 1
        r = await post(env, "demo.head", f"{hid}/solve", summary="摊位已取缔", version=stale)
        assert r.status_code == 409, r.text
        r = await post(env, "demo.head", f"{hid}/solve", summary="摊位已取缔", version=r.json()["version"])
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "solved" and r.json()["sla"]["state"] == "met"
        [solved] = await topic.wait_for("HotspotSolved")
        assert (solved.on_time, solved.summary, solved.by) == (True, "摊位已取缔", "demo.head")
        assert await timer_states(env) == ["cancelled"]
        r = await post(env, "demo.supervision", f"{hid}/notes", note="again")
        assert r.status_code == 409, r.text
        assert topic.of("HotspotOverdue") == []


async def test_the_deadline_fires_overdue_exactly_once(routing_env: RoutingEnv) -> None:
    env = routing_env
    async with HotspotTopic(env) as topic:
        found = await detected(env, topic, ["c1", "c2", "c3", "c4", "c5"])
        await env.as_("demo.supervision")  # signed in before the clock starts: argon2 is slow
        r = await post(
            env, "demo.supervision", f"{found.hotspot_id}/adopt", owner_unit_id=GULOU, deadline=later(2)
        )
        assert r.status_code == 200, r.text
        [overdue] = await topic.wait_for("HotspotOverdue", timeout=15)
        assert (overdue.hotspot_id, overdue.owner_unit_id) == (found.hotspot_id, GULOU)
        assert overdue.at >= overdue.deadline
        view = await env.client.get(
            f"/api/v1/hotspots/{found.hotspot_id}", headers=await env.as_("demo.head")
        )
        assert view.json()["sla"]["state"] == "overdue"
        r = await post(env, "demo.head", f"{found.hotspot_id}/solve", summary="晚了，但已解决")
        assert r.status_code == 200 and r.json()["sla"]["state"] == "missed", r.text
        [solved] = await topic.wait_for("HotspotSolved")
        await asyncio.sleep(1.0)  # a second firing would have come by now
        assert solved.on_time is False
        assert len(topic.of("HotspotOverdue")) == 1
        assert await timer_states(env) == ["fired"]


async def test_refusals(routing_env: RoutingEnv) -> None:
    env = routing_env
    async with HotspotTopic(env) as topic:
        found = await detected(env, topic, ["c1", "c2", "c3", "c4", "c5"])
    hid = found.hotspot_id
    r = await post(env, "demo.head", f"{hid}/adopt", owner_unit_id=GULOU, deadline=later(60))
    assert r.status_code == 403, r.text
    r = await post(env, "demo.supervision", f"{hid}/notes", note="not adopted yet")
    assert r.status_code == 409, r.text
    r = await post(env, "demo.supervision", f"{hid}/adopt", owner_unit_id="no-such-unit", deadline=later(60))
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "body.owner_unit_id", r.text
    r = await post(env, "demo.supervision", f"{hid}/adopt", owner_unit_id=GULOU, deadline=later(-60))
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "body.deadline", r.text
    r = await post(
        env, "demo.supervision", f"{hid}/adopt", owner_unit_id=GULOU, deadline="2030-01-01T00:00:00"
    )
    assert r.status_code == 422, r.text  # no time zone
    r = await post(
        env, "demo.supervision", f"{hid}/adopt", owner_unit_id=GULOU, deadline=later(60), version=99
    )
    assert r.status_code == 409, r.text
    r = await post(
        env, "demo.supervision", f"{found.complaint_ids[0]}/adopt", owner_unit_id=GULOU, deadline=later(60)
    )
    assert r.status_code == 404, r.text
    r = await post(env, "demo.supervision", f"{hid}/adopt", owner_unit_id=MISHI, deadline=later(60))
    assert r.status_code == 200, r.text
    r = await post(env, "demo.supervision", f"{hid}/adopt", owner_unit_id=MISHI, deadline=later(60))
    assert r.status_code == 409, r.text  # adopted already
    # The owner is Mishi now: Gulou's staff may no longer note or solve it.
    r = await post(env, "demo.officer", f"{hid}/notes", note="not ours")
    assert r.status_code == 403, r.text
    r = await post(env, "demo.head", f"{hid}/solve", summary="not ours")
    assert r.status_code == 403, r.text
    r = await post(env, "demo.officer", f"{hid}/solve", summary="officers do not solve")
    assert r.status_code == 403, r.text
    r = await post(env, "demo.supervision", f"{hid}/notes", note="  ")
    assert r.status_code == 422, r.text
