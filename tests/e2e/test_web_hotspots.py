"""The hot spot pages: five complaints about one matter filed through intake become a hot
spot at routing; supervision finds it in the list, sees its complaints on the map and its
growth, adopts it with an owner and a deadline, and marks it solved."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from huiyin.devstack.stack import Stack
from routing.demo import DEMO_PASSWORD
from tests.e2e.web_api import file_complaint, token
from tests.e2e.web_support import DESK, sign_in, web_session

pytestmark = pytest.mark.e2e
HUBIN = (30.387475, 120.113473)  # inside 湖滨派出所's jurisdiction
STALL = [
    "湖滨小区东门外的烧烤摊每天半夜还在营业，油烟很大，噪音吵得睡不着",
    "湖滨小区东门外烧烤摊半夜营业到两三点，油烟和噪音太大，居民没法睡觉",
    "湖滨小区东门烧烤摊夜里噪音很大，油烟呛人，吵得人睡不着觉",
    "每天半夜湖滨小区东门外烧烤摊噪音扰民，油烟很大",
    "湖滨小区东门口的烧烤摊半夜吵闹，油烟大，影响休息",
]


async def hotspot_of(system: Stack, complaint_ids: set[str], timeout: float = 60) -> dict[str, Any]:
    staff = {"Authorization": f"Bearer {await token(system, 'demo.supervision')}"}
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=system.url("routing"), timeout=10) as client:
        while True:
            for item in (await client.get("/api/v1/hotspots", headers=staff)).json()["items"]:
                view = (await client.get(f"/api/v1/hotspots/{item['id']}", headers=staff)).json()
                if complaint_ids <= {c["complaint_id"] for c in view["complaints"]}:
                    return dict(view)
            assert time.monotonic() < deadline, f"no hot spot of {complaint_ids} within {timeout}s"
            await asyncio.sleep(0.5)


async def test_supervision_adopts_and_solves_a_hotspot(system: Stack) -> None:
    filed = [
        await file_complaint(system, "noise", HUBIN[0] + i * 0.0002, HUBIN[1] + i * 0.0002, text)
        for i, text in enumerate(STALL)
    ]
    hotspot = await hotspot_of(system, {f["id"] for f in filed})
    assert hotspot["complaint_count"] == 5 and hotspot["unit_id"] == "ps-hubin-hubin"

    async with web_session("hotspots", system) as web:
        page = await web.page(viewport=DESK)
        await page.goto(system.url("routing") + "/station/hotspots")
        await sign_in(page, "demo.supervision", DEMO_PASSWORD)
        row = page.locator(f'#hs-table tbody tr[data-hotspot="{hotspot["id"]}"]')
        await expect(row).to_contain_text("烧烤")
        await web.shot(page, "hot spot list")
        await row.locator("a").click()
        await expect(page.locator("#h-count")).to_have_text("5")
        await expect(page.locator("#hs-map circle[data-complaint]")).to_have_count(5)
        await expect(page.locator("#hs-growth polyline")).to_have_count(1)
        await expect(page.locator("#h-complaints tbody tr")).to_have_count(5)
        await web.shot(page, "hot spot with map and growth")

        await page.select_option("#adopt-owner_unit_id", "ps-hubin-hubin")
        await page.fill("#adopt-deadline", "2099-01-01T12:00")
        await page.fill("#adopt-note", "集中整治夜间烧烤")
        await page.click("#do-adopt")
        await expect(page.locator("#h-status")).to_have_text("已立项督办")
        await expect(page.locator("#h-sla")).to_contain_text("办理中")
        await page.fill("#note-note", "已约谈摊主")
        await page.click("#do-note")
        await expect(page.locator("#h-notes")).to_contain_text("已约谈摊主")
        await page.fill("#solve-summary", "摊位已取缔，油烟噪音消除")
        await page.click("#do-solve")
        await expect(page.locator("#h-status")).to_have_text("已解决")
        await expect(page.locator("#h-sla")).to_contain_text("按期解决")
        await web.shot(page, "hot spot solved")

        await page.goto(system.url("routing") + f"/station/hotspots/{hotspot['id']}?lang=en")
        await expect(page.locator("#h-status")).to_have_text("Solved")
