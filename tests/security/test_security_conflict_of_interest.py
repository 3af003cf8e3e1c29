"""A complaint about a unit never shows the complainant's identity to that unit: routing
sends it elsewhere (conflict of interest), and intake refuses that unit's staff the
contact, even masked. Across intake and routing, signed in as the demo users."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from routing import demo
from tests.integration.routing.routing_harness import inside
from tests.security.security_stack import GULOU, Services, start_services
from tests.support.apps import eventually
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


async def sign_in(stack: Services, username: str) -> dict[str, str]:
    form = {"username": username, "password": demo.DEMO_PASSWORD}
    r = await stack.clients["routing"].post("/api/v1/auth/token", data=form)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def file(stack: Services, **extra: Any) -> dict[str, Any]:
    body = {
        "category": "police_conduct" if "subject" in extra else "theft",
        "description": "民警接警后态度恶劣，拒不出警，要求调查处理。",
        "location": {**inside(GULOU), "address": "汇音市钟楼区鼓楼街 8 号"},
        "contact": {"name": "赵六", "phone": "13700137000"},
        **extra,
    }
    r = await stack.clients["intake"].post("/api/v1/complaints", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def routed_case(stack: Services, complaint_id: str, supervision: dict[str, str]) -> dict[str, Any]:
    async def probe() -> dict[str, Any]:
        r = await stack.clients["routing"].get(f"/api/v1/assignments/{complaint_id}", headers=supervision)
        return r.json() if r.status_code == 200 else {}

    return await eventually(probe, until=lambda c: c.get("state") == "routed", timeout=30)


async def intake_knows_the_unit(stack: Services, filed: dict[str, Any], unit_id: str) -> None:
    url, token = f"/api/v1/complaints/{filed['tracking_code']}", {"X-Access-Token": filed["access_token"]}

    async def unit() -> str | None:
        view = (await stack.clients["intake"].get(url, headers=token)).json()
        return (view.get("unit") or {}).get("id")

    await eventually(unit, until=lambda u: u == unit_id, timeout=30)


async def test_the_unit_complained_about_never_sees_who_complained(infra: Infra, topic_prefix: str) -> None:
    async with start_services(infra, topic_prefix, services=["intake", "routing"]) as stack:
        intake: httpx.AsyncClient = stack.clients["intake"]
        officer, head = await sign_in(stack, "demo.officer"), await sign_in(stack, "demo.head")
        district, supervision = (
            await sign_in(stack, "demo.district"),
            await sign_in(stack, "demo.supervision"),
        )

        about = await file(stack, subject={"unit_id": GULOU, "text": "鼓楼派出所值班民警"})
        case = await routed_case(stack, about["id"], supervision)
        # Routing: the complaint went around the station and its bureau, to supervision.
        assert case["unit_id"] not in (GULOU, "bureau-zhonglou"), case["unit_id"]
        assert case["assignments"][-1]["rule"] == "conflict_of_interest"
        assert case["subject"]["unit_id"] == GULOU
        await intake_knows_the_unit(stack, about, case["unit_id"])

        url = f"/api/v1/complaints/{about['id']}/contact"
        for who in (officer, head):
            masked = await intake.get(url, headers=who)
            assert masked.status_code == 403 and "about your unit" in masked.json()["detail"]
            clear = await intake.post(f"{url}/unmask", json={"reason": "回访"}, headers=who)
            assert clear.status_code == 403 and "about your unit" in clear.json()["detail"]
            for body in (masked.text, clear.text):
                assert "赵六" not in body and "137" not in body
            # Nor does the station see the complaint in routing at all.
            view = await stack.clients["routing"].get(f"/api/v1/assignments/{about['id']}", headers=who)
            assert view.status_code in (403, 404)
            inbox = await stack.clients["routing"].get(f"/api/v1/stations/{GULOU}/inbox", headers=who)
            assert about["id"] not in {row["complaint_id"] for row in inbox.json()["items"]}
        assert (await intake.get(url, headers=district)).status_code == 403  # the bureau: never
        assert (await intake.get(url, headers=supervision)).json()["name"] == "赵*"  # supervision may

        # Control: the same place, no named unit -> the station handles it and sees the contact.
        plain = await file(stack)
        assert (await routed_case(stack, plain["id"], supervision))["unit_id"] == GULOU
        await intake_knows_the_unit(stack, plain, GULOU)
        seen = await intake.get(f"/api/v1/complaints/{plain['id']}/contact", headers=officer)
        assert seen.status_code == 200 and seen.json()["phone"] == "137****7000"
