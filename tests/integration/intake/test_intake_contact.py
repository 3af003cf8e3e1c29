"""Staff reading a citizen's contact: who may, masked by default, unmasking logged."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from huiyin.auth.tokens import Principal, Role, issue_token
from intake.entrypoints.app import create_app
from intake.settings import IntakeSettings
from tests.integration.intake.conftest import SettingsFactory
from tests.integration.intake.intake_helpers import complaint_body, produce, routed
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


def bearer(settings: IntakeSettings, role: Role, unit: str | None, user: str = "u-1") -> dict[str, str]:
    principal = Principal(user_id=user, username=f"{user}-name", role=role, unit_id=unit)
    token = issue_token(secret=settings.jwt_secret, principal=principal, now=datetime.now(UTC), ttl_s=300)
    return {"Authorization": f"Bearer {token}"}


async def file_routed(
    client: httpx.AsyncClient, infra: Infra, prefix: str, unit: str, **body: Any
) -> dict[str, Any]:
    filed = (await client.post("/api/v1/complaints", json=complaint_body(**body))).json()
    route = routed(uuid.UUID(filed["id"]), unit_id=unit)
    await produce(infra.kafka_bootstrap, prefix, route)
    url, token = f"/api/v1/complaints/{filed['tracking_code']}", {"X-Access-Token": filed["access_token"]}
    await eventually(lambda: client.get(url, headers=token), until=lambda r: r.json()["state"] == "routed")
    return filed  # type: ignore[no-any-return]


async def test_the_handling_unit_sees_masked_and_unmasks_with_a_logged_reason(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    settings = intake_settings()
    async with running(create_app(settings)) as client:
        filed = await file_routed(client, infra, topic_prefix, "ps-xihu")
        url = f"/api/v1/complaints/{filed['id']}/contact"
        officer = bearer(settings, Role.OFFICER, "ps-xihu", "officer-li")

        masked = await client.get(url, headers=officer)
        assert masked.status_code == 200
        assert masked.json() == {
            "complaint_id": filed["id"], "anonymous": False, "masked": True,
            "name": "张*", "phone": "138****8000", "email": "z***@example.com",
        }  # fmt: skip

        no_reason = await client.post(f"{url}/unmask", json={}, headers=officer)
        assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["path"] == "body.reason"
        clear = await client.post(f"{url}/unmask", json={"reason": "回访核实噪音时段"}, headers=officer)
        assert clear.status_code == 200
        assert (clear.json()["name"], clear.json()["phone"], clear.json()["email"], clear.json()["masked"]) == (
            "张三", "13800138000", "zhang@example.com", False,
        )  # fmt: skip

        log = await client.get(f"{url}/access-log", headers=bearer(settings, Role.SUPERVISION, "sup"))
        assert log.status_code == 200
        [entry] = log.json()
        assert (entry["user_id"], entry["role"], entry["unit_id"], entry["reason"]) == (
            "officer-li", "officer", "ps-xihu", "回访核实噪音时段",
        )  # fmt: skip
        officer_reads_log = await client.get(f"{url}/access-log", headers=officer)
        assert officer_reads_log.status_code == 403


async def test_who_may_not_see_the_contact(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    settings = intake_settings()
    async with running(create_app(settings)) as client:
        filed = await file_routed(client, infra, topic_prefix, "ps-xihu")
        url = f"/api/v1/complaints/{filed['id']}/contact"
        assert (await client.get(url)).status_code == 401
        assert (
            await client.get(url, headers={"Authorization": "Bearer forged.token.here"})
        ).status_code == 401
        other_unit = await client.get(url, headers=bearer(settings, Role.OFFICER, "ps-wensan"))
        assert other_unit.status_code == 403 and "handling" in other_unit.json()["detail"]
        admin = await client.get(url, headers=bearer(settings, Role.ADMIN, None))
        assert admin.status_code == 403
        supervision = await client.post(
            f"{url}/unmask", json={"reason": "督察核查"}, headers=bearer(settings, Role.SUPERVISION, "sup")
        )
        assert supervision.status_code == 200 and supervision.json()["phone"] == "13800138000"
        unknown = await client.get(
            "/api/v1/complaints/00000000-0000-0000-0000-000000000000/contact",
            headers=bearer(settings, Role.SUPERVISION, "sup"),
        )
        assert unknown.status_code == 404


async def test_a_unit_the_complaint_is_about_never_sees_the_identity(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    settings = intake_settings()
    async with running(create_app(settings)) as client:
        filed = await file_routed(
            client, infra, topic_prefix, "ps-xihu", category="police_conduct", subject={"unit_id": "ps-xihu"}
        )
        url = f"/api/v1/complaints/{filed['id']}/contact"
        for role in (Role.OFFICER, Role.STATION_HEAD):
            r = await client.post(
                f"{url}/unmask", json={"reason": "想知道是谁"}, headers=bearer(settings, role, "ps-xihu")
            )
            assert r.status_code == 403 and "about your unit" in r.json()["detail"]
            assert (await client.get(url, headers=bearer(settings, role, "ps-xihu"))).status_code == 403
        log = await client.get(f"{url}/access-log", headers=bearer(settings, Role.SUPERVISION, "sup"))
        assert log.json() == []


async def test_an_anonymous_complaint_has_no_contact_to_show(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    settings = intake_settings()
    async with running(create_app(settings)) as client:
        filed = await file_routed(client, infra, topic_prefix, "ps-xihu", contact=None)
        r = await client.get(
            f"/api/v1/complaints/{filed['id']}/contact", headers=bearer(settings, Role.OFFICER, "ps-xihu")
        )
    assert r.status_code == 200
    assert r.json() | {"complaint_id": None} == {
        "complaint_id": None, "anonymous": True, "masked": True, "name": None, "phone": None, "email": None,
    }  # fmt: skip
