"""The SLA HTTP API over a running app (scheduler, relay, real PostgreSQL and Kafka):
policies, official calendar years, /ready's provisional warning, force-escalation and a
unit's escalations."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from huiyin.auth.tokens import Principal, Role, issue_token
from huiyin.events.sla import ComplaintEscalated, DeadlinesRecomputed
from huiyin.http.app import create_service_app
from huiyin.runtime import Runtime, build_runtime
from routing.sla import wiring
from routing.sla.config import SlaSettings
from tests.integration.routing.test_sla_timers import SlaTopic, arm, routing_settings
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


class Api:
    def __init__(self, client: httpx.AsyncClient, runtime: Runtime) -> None:
        self.client, self.runtime = client, runtime

    def auth(self, role: Role, unit_id: str | None = None) -> dict[str, str]:
        principal = Principal(
            user_id=str(uuid.uuid4()), username=f"{role.value}-1", role=role, unit_id=unit_id
        )
        token = issue_token(
            secret=self.runtime.settings.jwt_secret, principal=principal, now=datetime.now(UTC), ttl_s=600
        )
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def api(infra: Infra, topic_prefix: str) -> AsyncIterator[Api]:
    runtime = build_runtime(routing_settings(infra.create_database("routing"), infra, topic_prefix))
    routers = wiring.install(runtime, SlaSettings(max_sleep_s=0.2, status_refresh_s=0.3))
    app = create_service_app(title="routing (sla)", runtime=runtime, routers=routers)
    app.state.ready_extra = wiring.ready_detail
    async with running(app) as client:
        yield Api(client, runtime)


ADMIN, SUPERVISION = Role.ADMIN, Role.SUPERVISION
NORMAL = {"ack_within_s": 3600, "resolve_within_s": 36000, "warn_at": 0.8, "calendar": "workdays"}


async def test_policies_are_read_by_supervision_and_edited_by_admins(api: Api) -> None:
    c = api.client
    assert (await c.get("/api/v1/admin/sla/policies")).status_code == 401
    assert (
        await c.get("/api/v1/admin/sla/policies", headers=api.auth(Role.OFFICER, "s1"))
    ).status_code == 403
    listed = (await c.get("/api/v1/admin/sla/policies", headers=api.auth(SUPERVISION))).json()
    assert {(p["category"], p["priority"], p["updated_by"]) for p in listed} == {
        ("*", "normal", "built-in"),
        ("*", "urgent", "built-in"),
    }
    url = "/api/v1/admin/sla/policies/noise/normal"
    assert (await c.put(url, json=NORMAL, headers=api.auth(SUPERVISION))).status_code == 403
    saved = await c.put(url, json=NORMAL, headers=api.auth(ADMIN))
    assert saved.status_code == 200, saved.text
    assert saved.json() | {"updated_at": None} == {
        "category": "noise",
        "priority": "normal",
        **NORMAL,
        "escalate_after": [0.0, 1.0],
        "updated_at": None,
        "updated_by": "admin-1",
    }
    bad = await c.put(url, json=NORMAL | {"warn_at": 1.5}, headers=api.auth(ADMIN))
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "body.warn_at"
    for wrong in ("/api/v1/admin/sla/policies/noise/someday", "/api/v1/admin/sla/policies/Bad%20Cat/normal"):
        assert (await c.put(wrong, json=NORMAL, headers=api.auth(ADMIN))).status_code == 422
    listed = (await c.get("/api/v1/admin/sla/policies", headers=api.auth(ADMIN))).json()
    assert ("noise", "normal", "admin-1") in {(p["category"], p["priority"], p["updated_by"]) for p in listed}


async def ready(api: Api) -> dict[str, Any]:
    body: dict[str, Any] = (await api.client.get("/ready")).json()
    return body["sla"]


async def test_loading_a_year_recomputes_provisional_deadlines(
    api: Api, infra: Infra, topic_prefix: str
) -> None:
    c, admin = api.client, api.auth(ADMIN)
    start = datetime(2026, 12, 31, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    async with SlaTopic(infra, topic_prefix) as topic:
        complaint_id, _, deadlines = await arm(api.runtime, "noise", start=start)
        assert deadlines.provisional
        detail = await eventually(lambda: ready(api), until=lambda d: d["provisional_open"] == 1)
        assert detail["scheduler"] == "running" and any("provisional" in w for w in detail["warnings"])

        assert (await c.get("/api/v1/admin/calendar/2027", headers=admin)).json()["source"] == "none"
        y2026 = (await c.get("/api/v1/admin/calendar/2026", headers=admin)).json()
        assert y2026["source"] == "library" and "2026-10-01" in y2026["holidays"]
        assert "2026-10-10" in y2026["workdays"]

        bad = await c.put(
            "/api/v1/admin/calendar/2027", json={"holidays": [], "workdays": ["2027-01-04"]}, headers=admin
        )
        assert bad.status_code == 422 and "weekend" in bad.json()["detail"]
        body = {"holidays": ["2027-01-01..2027-01-03", "2027-02-06..2027-02-13"], "workdays": ["2027-02-20"]}
        assert (
            await c.put("/api/v1/admin/calendar/2027", json=body, headers=api.auth(SUPERVISION))
        ).status_code == 403
        loaded = await c.put("/api/v1/admin/calendar/2027", json=body, headers=admin)
        assert loaded.status_code == 200, loaded.text
        assert (loaded.json()["source"], loaded.json()["recomputed"], len(loaded.json()["holidays"])) == (
            "loaded",
            1,
            11,
        )

        await eventually(lambda: _events(topic, complaint_id), until=bool)
        [recomputed] = [e.data for e in topic.events if e.data.complaint_id == complaint_id]
        assert isinstance(recomputed, DeadlinesRecomputed)
        assert recomputed.provisional is False and recomputed.resolve_due > deadlines.resolve_due
        assert await eventually(lambda: ready(api), until=lambda d: d["provisional_open"] == 0)
    overview = (await c.get("/api/v1/admin/calendar", headers=api.auth(SUPERVISION))).json()
    assert overview["library_years"] == [2004, 2026]
    assert [y["year"] for y in overview["loaded"]] == [2027]


async def _events(topic: SlaTopic, complaint_id: uuid.UUID) -> list[Any]:
    return [e for e in topic.events if e.data.complaint_id == complaint_id]


async def test_supervision_forces_escalation_up_the_chain(api: Api, infra: Infra, topic_prefix: str) -> None:
    c, sup = api.client, api.auth(SUPERVISION)
    complaint_id, _, _ = await arm(api.runtime, "noise")  # default policy: nothing falls due during the test
    url = f"/api/v1/complaints/{complaint_id}/escalate"
    assert (
        await c.post(url, json={"reason": "called three times"}, headers=api.auth(Role.OFFICER, "station-1"))
    ).status_code == 403
    assert (await c.post(url, json={"reason": ""}, headers=sup)).status_code == 422
    first = await c.post(url, json={"reason": "called three times"}, headers=sup)
    second = await c.post(url, json={"reason": "still nothing"}, headers=sup)
    assert (first.status_code, second.status_code) == (201, 201)
    assert [(r.json()["level"], r.json()["watcher_unit_id"]) for r in (first, second)] == [
        (1, "bureau-west"),
        (2, "supervision"),
    ]
    assert first.json()["kind"] == "ack" and first.json()["forced_by"] == "supervision-1"
    third = await c.post(url, json={"reason": "again"}, headers=sup)
    assert third.status_code == 409
    assert (
        await c.post(f"/api/v1/complaints/{uuid.uuid4()}/escalate", json={"reason": "who?"}, headers=sup)
    ).status_code == 404

    async with SlaTopic(infra, topic_prefix) as topic:
        events = await eventually(lambda: _events(topic, complaint_id), until=lambda e: len(e) == 2)
    assert all(isinstance(e.data, ComplaintEscalated) for e in events)
    assert [(e.data.level, e.data.reason) for e in events] == [
        (1, "called three times"),
        (2, "still nothing"),
    ]

    mine = await c.get(
        "/api/v1/units/bureau-west/escalations", headers=api.auth(Role.STATION_HEAD, "bureau-west")
    )
    assert [(e["complaint_id"], e["unit_id"], e["level"]) for e in mine.json()] == [
        (str(complaint_id), "station-1", 1)
    ]
    assert (
        await c.get("/api/v1/units/bureau-west/escalations", headers=api.auth(Role.OFFICER, "station-9"))
    ).status_code == 403
    assert len((await c.get("/api/v1/units/supervision/escalations", headers=sup)).json()) == 1

    view = await c.get(f"/api/v1/complaints/{complaint_id}/sla", headers=api.auth(Role.OFFICER, "station-1"))
    assert view.status_code == 200 and [e["level"] for e in view.json()["escalations"]] == [1, 2]
    assert view.json()["cycles"][0]["provisional"] is False
    assert (
        await c.get(f"/api/v1/complaints/{complaint_id}/sla", headers=api.auth(Role.OFFICER, "station-9"))
    ).status_code == 403
