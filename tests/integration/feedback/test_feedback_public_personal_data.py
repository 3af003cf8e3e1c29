"""No personal data in anything the public figures publish: complaints filed through
intake's API with a name, phone, email, address and text, routed by routing, counted by
feedback; once the month is published, every public response (JSON, CSV, pages) is
scanned for those and for the complaints' ids and tracking codes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from feedback.domain.periods import local_day
from feedback.entrypoints.app import create_app
from feedback.public.domain.months import closes_at, month_text
from huiyin.clock import ManualClock, SystemClock
from tests.integration.feedback import feedback_kit as kit
from tests.security.security_stack import build_settings, start_services
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration
PHONE, NAME, EMAIL = "13987654321", "王小明", "wangxm@example.org"
ADDRESS = "汇音市湖滨区公开数据测试路 88 号"
TEXT = "隔壁工地凌晨施工噪音扰民，请回电"
HUBIN = (30.387475, 120.113473)  # inside 湖滨派出所's jurisdiction (the demo city)
FILED = 6


def complaint(i: int) -> dict[str, Any]:
    return {
        "category": "noise",
        "description": f"{TEXT} {PHONE}（第 {i} 次）",
        "location": {"lat": HUBIN[0], "lon": HUBIN[1], "address": ADDRESS},
        "contact": {"name": NAME, "phone": PHONE, "email": EMAIL},
    }


async def test_public_responses_carry_no_personal_data(infra: Infra, topic_prefix: str) -> None:
    async with start_services(infra, topic_prefix, services=["intake", "routing"]) as stack:
        settings = build_settings("feedback", infra, topic_prefix, public_poll_s=0.2, public_grace_s=1)
        clock = ManualClock(SystemClock().now())
        async with running(create_app(settings, clock=clock)) as http:  # type: ignore[arg-type]
            filed = []
            for i in range(FILED):
                r = await stack.clients["intake"].post("/api/v1/complaints", json=complaint(i))
                assert r.status_code == 201, r.text
                filed.append(r.json())
            db = settings.database_url
            await eventually(
                lambda: kit.db_scalar(db, "SELECT count(*) FROM fb_rm_assignment"), until=lambda n: n == FILED, timeout=60
            )  # fmt: skip
            month = local_day(clock.now()).replace(day=1)
            clock.set(closes_at(month, timedelta(seconds=1)) + timedelta(seconds=1))
            await eventually(
                lambda: http.get("/api/v1/public/months"), until=lambda r: r.json()["months"], timeout=30
            )  # fmt: skip

            m = month_text(month)
            figures = (await http.get("/api/v1/public/figures", params={"month": m})).json()
            [station] = [r for r in figures["stations"] if r["received"].get("value") == FILED]
            units = [r["unit_id"] for r in figures["stations"] + figures["districts"] if r["unit_id"]]
            paths = [
                "/api/v1/public/months", f"/api/v1/public/figures?month={m}",
                f"/api/v1/public/figures?month={m}&level=district", f"/api/v1/public/open-data/{m}.csv",
                f"/api/v1/public/open-data/{m}.json?version=1", "/api/v1/public/data-dictionary",
                "/public", "/public?lang=en", f"/public?month={m}&version=1",
                *(f"/api/v1/public/units/{u}" for u in units), *(f"/public/units/{u}" for u in units),
            ]  # fmt: skip
            bodies = {}
            for path in paths:
                r = await http.get(path)
                assert r.status_code == 200, (path, r.text)
                bodies[path] = r.content.decode("utf-8-sig")

    forbidden = [PHONE, NAME, EMAIL, "wangxm", ADDRESS, "公开数据测试路", TEXT, "凌晨施工",
                 str(HUBIN[0]), str(HUBIN[1])]  # fmt: skip
    forbidden += [f["id"] for f in filed] + [f["tracking_code"] for f in filed]
    leaks = {path: [f for f in forbidden if f in body] for path, body in bodies.items()}
    assert {p: found for p, found in leaks.items() if found} == {}
    assert station["unit_name"] in bodies["/public"]  # the scan read real, filled pages
    assert len(bodies) == len(paths) > 10
