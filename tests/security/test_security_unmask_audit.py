"""Reading a citizen's contact in clear is accountable: intake records who, when and why,
and emits `contact_unmasked` in the same transaction, so feedback's hash-chained audit
trail shows it on the complaint's timeline. No personal data travels with it."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from huiyin import jsonutil
from huiyin.auth.tokens import Role
from huiyin.db import asyncpg_dsn
from huiyin.events import decode_event
from tests.security.security_stack import Services, start_services
from tests.support.apps import eventually
from tests.support.infra import Infra

pytestmark = pytest.mark.integration

PHONE, NAME, EMAIL = "13800138000", "王五", "wangwu@example.com"
UNMASKED = "huiyin.complaint.contact_unmasked.v1"


def filing() -> dict[str, Any]:
    return {
        "category": "noise",
        "description": "工地夜间施工，噪音持续到凌晨两点，严重影响休息。",
        "location": {"lat": 30.27, "lon": 120.15, "address": "汇音市鼓楼区测试路 2 号"},
        "contact": {"name": NAME, "phone": PHONE, "email": EMAIL},
    }


async def timeline(stack: Services, complaint_id: str) -> list[dict[str, Any]]:
    r = await stack.clients["feedback"].get(
        f"/api/v1/audit/complaints/{complaint_id}", headers=stack.bearer(Role.SUPERVISION)
    )
    return r.json()["entries"] if r.status_code == 200 else []


def unmasked(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e["type"] == UNMASKED]


async def test_an_unmasking_shows_on_the_audit_timeline_without_personal_data(
    infra: Infra, topic_prefix: str
) -> None:
    async with start_services(infra, topic_prefix, services=["intake", "feedback"]) as stack:
        intake: httpx.AsyncClient = stack.clients["intake"]
        filed = (await intake.post("/api/v1/complaints", json=filing())).json()
        url = f"/api/v1/complaints/{filed['id']}/contact"
        supervisor = stack.bearer(Role.SUPERVISION, user="sup-zhao")

        # Refused attempts leave no trace on the timeline (nothing was read).
        for role in (Role.DISTRICT_SUPERVISOR, Role.ADMIN, Role.OFFICER):
            refused = await intake.post(
                f"{url}/unmask", json={"reason": "curious"}, headers=stack.bearer(role)
            )
            assert refused.status_code == 403, (role, refused.text)

        reason = f"回拨核实施工时段，市民另留号码 13912345678 / {EMAIL}"
        clear = await intake.post(f"{url}/unmask", json={"reason": reason}, headers=supervisor)
        assert clear.status_code == 200 and clear.json()["phone"] == PHONE

        entries = await eventually(
            lambda: timeline(stack, filed["id"]), until=lambda e: len(unmasked(e)) == 1, timeout=30
        )
        [entry] = unmasked(entries)
        assert entry["what"].startswith("查看联系方式")
        assert entry["actor"] == "sup-zhao" and entry["source"] == "/huiyin/intake"
        data = entry["data"]
        assert (data["by"], data["role"], data["unit_id"]) == ("sup-zhao", "supervision", "supervision")
        assert data["complaint_id"] == filed["id"]
        assert data["reason"] == "回拨核实施工时段，市民另留号码 139****5678 / w***@example.com"
        # The submission comes first on the timeline; the whole answer holds no contact data.
        assert entries[0]["type"] == "huiyin.complaint.submitted.v1"
        text = jsonutil.dumps(entries).decode()
        for secret in (PHONE, NAME, EMAIL, "13912345678"):
            assert secret not in text

        # The same facts in intake's own access log, and the chain still verifies.
        log = await intake.get(f"{url}/access-log", headers=supervisor)
        [access] = log.json()
        assert (access["user_id"], access["reason"]) == ("sup-zhao", reason)
        verified = await stack.clients["feedback"].get("/api/v1/audit/verify", headers=supervisor)
        assert verified.json()["ok"] is True

        # A masked read is not an unmasking: intake's outbox still holds exactly one.
        assert (await intake.get(url, headers=supervisor)).json()["masked"] is True
        assert await outbox_types(stack.settings["intake"].database_url, filed["id"]) == [
            "huiyin.complaint.submitted.v1",
            UNMASKED,
        ]


async def outbox_types(database_url: str, complaint_id: str) -> list[str]:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        rows = await conn.fetch("SELECT payload FROM outbox WHERE key = $1 ORDER BY id", complaint_id)
    finally:
        await conn.close()
    return [decode_event(bytes(r["payload"])).type for r in rows]
