"""The station's pages: an inbox row highlighted once its deadline passes (a seconds-long
SLA set through routing's admin API), and a station user refused another station's complaint."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from huiyin.devstack.stack import Stack
from routing.demo import DEMO_PASSWORD
from tests.e2e.web_api import create_station_user, file_complaint, seconds_policy, wait_routed
from tests.e2e.web_support import DESK, PHONE, sign_in, web_session

pytestmark = pytest.mark.e2e
HUBIN = (30.387475, 120.113473)  # inside 湖滨派出所's jurisdiction
JIANGNAN = (30.238916, 120.194016)  # inside 江南派出所's jurisdiction
PASSWORD = "station-e2e-password"


async def test_overdue_row_is_highlighted_after_its_deadline(system: Stack) -> None:
    await create_station_user(system, "e2e.hubin", "ps-hubin-hubin", PASSWORD)
    await seconds_policy(system, "fraud", ack_s=4, resolve_s=600)
    filed = await file_complaint(system, "fraud", *HUBIN, "接到冒充客服的电话，被骗转账两千元。")
    await wait_routed(system, filed["id"])

    async with web_session("overdue", system) as web:
        page = await web.page(viewport=DESK)
        await page.goto(system.url("routing") + "/station")
        await sign_in(page, "e2e.hubin", PASSWORD)
        row = page.locator("#inbox-table tbody tr", has_text=filed["tracking_code"])
        await row.wait_for()
        await web.shot(page, "inbox with the new complaint")
        await expect(row).to_have_class("overdue", timeout=20_000)
        await expect(row.locator("td.countdown")).to_contain_text("-")
        await page.check("#f-overdue")
        await expect(row.locator(".badge.bad")).to_contain_text("已超期")
        await web.shot(page, "overdue row highlighted")

        phone = await web.page(viewport=PHONE)
        await phone.goto(system.url("routing") + "/station")
        await sign_in(phone, "e2e.hubin", PASSWORD)
        await expect(
            phone.locator("#inbox-table tbody tr.overdue", has_text=filed["tracking_code"])
        ).to_be_visible()
        await web.shot(phone, "overdue row on a phone")


async def test_station_user_cannot_open_another_stations_complaint(system: Stack) -> None:
    await create_station_user(system, "e2e.jiangnan", "ps-jiangnan-jiangnan", PASSWORD)
    filed = await file_complaint(system, "theft", *JIANGNAN, "江南大道地铁口自行车被盗，锁被剪断。")
    routed = await wait_routed(system, filed["id"])
    assert routed["unit_id"] == "ps-jiangnan-jiangnan"
    url = system.url("routing") + f"/station/complaints/{filed['id']}"

    async with web_session("forbidden", system) as web:
        other = await web.page()
        await other.goto(url)
        await sign_in(other, "demo.officer", DEMO_PASSWORD)  # 鼓楼派出所
        await expect(other.locator("#case-error")).to_contain_text("无权查看")
        assert await other.locator("#case").is_hidden()
        assert filed["tracking_code"] not in await other.content()
        await web.shot(other, "another station is refused")

        own = await web.page()
        await own.goto(url)
        await sign_in(own, "e2e.jiangnan", PASSWORD)
        await expect(own.locator("#c-code")).to_have_text(filed["tracking_code"])
        await web.shot(own, "the handling station opens it")
