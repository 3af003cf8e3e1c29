"""Units: GeoJSON export and import, admin create/update/retire, and routing that follows
the directory as soon as it changes."""

from __future__ import annotations

import asyncpg
import pytest

from huiyin.db import asyncpg_dsn
from routing import demo
from tests.integration.routing.routing_harness import GULOU, MISHI, RoutingEnv, routing_env_fixture  # noqa: F401
from tests.support.infra import Infra

pytestmark = pytest.mark.integration

ISLAND = {
    "type": "Polygon",
    "coordinates": [[[121.0, 30.0], [121.1, 30.0], [121.1, 30.1], [121.0, 30.1], [121.0, 30.0]]],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[121.0, 30.0], [121.1, 30.1], [121.1, 30.0], [121.0, 30.1], [121.0, 30.0]]],
}


def station(unit_id: str, area: dict | None = ISLAND, **extra: object) -> dict:
    return {
        "id": unit_id,
        "name": "海岛派出所",
        "name_en": "Island Police Station",
        "kind": "police_station",
        "parent_id": "bureau-jiangnan",
        "jurisdiction": area,
        **extra,
    }


async def test_export_and_import_round_trip(routing_env: RoutingEnv) -> None:
    env = routing_env
    exported = (await env.client.get("/api/v1/units.geojson", headers=await env.as_("demo.officer"))).json()
    assert exported["type"] == "FeatureCollection"
    kinds = [f["properties"]["kind"] for f in exported["features"]]
    assert kinds.count("police_station") >= 12 and kinds.count("district_bureau") >= 3
    r = await env.client.post("/api/v1/units/import", json=exported, headers=await env.as_("demo.admin"))
    assert r.status_code == 200, r.text
    assert r.json()["created"] == [] and len(r.json()["updated"]) == len(exported["features"])
    assert r.json()["warnings"] == []

    overlapping = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": f["geometry"], "properties": {**f["properties"], "id": "ps-copy"}}
            for f in exported["features"]
            if f["properties"]["id"] == GULOU
        ],
    }
    r = await env.client.post("/api/v1/units/import", json=overlapping, headers=await env.as_("demo.admin"))
    assert r.json()["created"] == ["ps-copy"]
    assert r.json()["warnings"] == [f"police_station jurisdictions of ps-copy and {GULOU} overlap"]


async def test_bad_units_are_refused_with_what_is_wrong(routing_env: RoutingEnv) -> None:
    env = routing_env
    admin = await env.as_("demo.admin")
    r = await env.client.post("/api/v1/units", json=station("ps-bad", BOWTIE), headers=admin)
    assert r.status_code == 422
    assert (
        r.json()["errors"][0]["path"] == "body.jurisdiction"
        and "Self-intersection" in r.json()["errors"][0]["message"]
    )
    r = await env.client.post("/api/v1/units", json=station("ps-bad", categories=["parking"]), headers=admin)
    assert r.status_code == 422 and "unknown category" in r.json()["errors"][0]["message"]
    r = await env.client.post("/api/v1/units", json=station("ps-bad", parent_id="nowhere"), headers=admin)
    assert r.status_code == 422 and "does not exist" in r.json()["detail"]
    r = await env.client.patch(
        "/api/v1/units/bureau-jiangnan", json={"parent_id": "ps-jiangnan-binjiang"}, headers=admin
    )
    assert r.status_code == 422 and "cycle" in r.json()["detail"]
    assert (await env.client.post("/api/v1/units", json=station(GULOU), headers=admin)).status_code == 409
    assert (
        await env.client.post("/api/v1/units", json=station("ps-x"), headers=await env.as_("demo.head"))
    ).status_code == 403


async def test_routing_follows_a_new_unit_and_a_retired_one_keeps_its_history(
    routing_env: RoutingEnv,
) -> None:
    env = routing_env
    admin = await env.as_("demo.admin")
    assert (
        await env.client.post("/api/v1/units", json=station("ps-island"), headers=admin)
    ).status_code == 201
    cid = await env.submit(lat=30.05, lon=121.05)
    case = await env.case_when(cid, lambda c: c["state"] == "routed")
    assert case["unit_id"] == "ps-island"
    assert case["assignments"][0]["unit_name"] == "海岛派出所 (Island Police Station)"

    r = await env.client.post("/api/v1/units/ps-island/retire", headers=admin)
    assert r.status_code == 409 and r.json()["open_complaints"] == 1
    head = {
        "username": "island.head",
        "password": "a-long-password-1",
        "role": "station_head",
        "unit_id": "ps-island",
    }
    assert (await env.client.post("/api/v1/users", json=head, headers=admin)).status_code == 201
    r = await env.act(cid, "transfer", "demo.supervision", to_unit_id=MISHI, reason="海岛所撤销")
    assert r.status_code == 200, r.text
    r = await env.client.post("/api/v1/units/ps-island/retire", headers=admin)
    assert r.status_code == 200 and r.json()["retired_at"] is not None

    later = await env.submit(lat=30.05, lon=121.05)
    await env.case_when(later, lambda c: c["state"] == "unroutable")
    case = (await env.case(cid)).json()
    assert (
        case["assignments"][0]["unit_id"] == "ps-island"
        and case["assignments"][0]["end_reason"] == "transferred"
    )
    r = await env.client.patch(
        "/api/v1/units/ps-island", json={"name_en": "Island Station (closed)"}, headers=admin
    )
    assert r.status_code == 200 and r.json()["name_en"] == "Island Station (closed)"


async def test_the_demo_seed_is_idempotent_and_keeps_admin_edits(infra: Infra) -> None:
    db = infra.create_database("routing")
    await demo.seed(db)
    conn = await asyncpg.connect(asyncpg_dsn(db))
    try:
        await conn.execute("UPDATE routing_units SET name_en = 'Edited' WHERE id = $1", GULOU)
        counts = [
            await conn.fetchval(f"SELECT count(*) FROM {t}")
            for t in ("routing_units", "staff_users", "sla_policies")
        ]
        await demo.seed(db)
        again = [
            await conn.fetchval(f"SELECT count(*) FROM {t}")
            for t in ("routing_units", "staff_users", "sla_policies")
        ]
        assert counts == again and counts[0] == len(demo.demo_units()) and counts[1] == len(demo.DEMO_USERS)
        assert await conn.fetchval("SELECT name_en FROM routing_units WHERE id = $1", GULOU) == "Edited"
    finally:
        await conn.close()
