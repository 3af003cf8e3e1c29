"""The public figures page in a browser, no sign-in: a published month's station table, a
station's 12-month trend page, the English switch. The month is published by feedback's own
handler with a clock past the month's close (the running service's clock is real)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.async_api import expect

from feedback.domain.periods import local_day
from feedback.public.domain.months import closes_at, month_text
from feedback.public.handlers.publish import publish_first_version
from feedback.settings import FeedbackSettings
from huiyin.clock import ManualClock, SystemClock
from huiyin.devstack.stack import Stack
from huiyin.runtime import build_runtime
from tests.e2e.web_api import file_complaint, wait_routed
from tests.e2e.web_support import DESK, PHONE, web_session
from tests.integration.feedback.feedback_kit import db_scalar
from tests.support.apps import eventually

pytestmark = pytest.mark.e2e
HUBIN = (30.387475, 120.113473)  # inside 湖滨派出所's jurisdiction


async def test_public_page_shows_a_published_month_and_a_station_trend(system: Stack) -> None:
    for i in range(5):
        filed = await file_complaint(system, "noise", *HUBIN, f"公开数据页面测试：夜间噪音第 {i} 次。")
        await wait_routed(system, filed["id"])
    db = system.database_url("feedback")
    await eventually(
        lambda: db_scalar(db, "SELECT count(*) FROM fb_rm_assignment WHERE unit_id = 'ps-hubin-hubin'"),
        until=lambda n: n >= 5, timeout=30,
    )  # fmt: skip
    month = local_day(SystemClock().now()).replace(day=1)
    settings = FeedbackSettings(database_url=db, environment="test")
    runtime = build_runtime(
        settings, clock=ManualClock(closes_at(month, timedelta(hours=1)) + timedelta(minutes=1))
    )
    try:
        async with runtime.uow() as uow:
            await publish_first_version(uow, month, settings)
    finally:
        await runtime.close()

    async with web_session("public", system) as web:
        page = await web.page(viewport=DESK)
        await page.goto(system.url("feedback") + "/public")
        await expect(page.locator("#f-month")).to_have_value(month_text(month))
        row = page.locator("#stations-table tbody tr[data-unit='ps-hubin-hubin']")
        await expect(row).to_be_visible()
        await expect(page.locator("#versions-table")).to_contain_text("月结自动发布")
        await expect(page.locator("#csv-link")).to_have_attribute(
            "href", f"/api/v1/public/open-data/{month_text(month)}.csv?version=1"
        )
        await web.shot(page, "public figures of the month")

        await row.locator("a").click()
        await expect(page.locator("#trend-table tbody tr[data-month]")).to_have_count(1, timeout=15_000)
        await expect(page.locator("#trend-chart")).to_be_visible()
        await web.shot(page, "a station's trend")
        await page.click("#lang-switch")
        await expect(page.locator("h1")).to_have_text("A unit's monthly trend")

        phone = await web.page(viewport=PHONE, locale="en-US")
        await phone.goto(system.url("feedback") + "/public?lang=en")
        await expect(phone.locator("#dictionary-table")).to_contain_text("response_rate_status")
        await web.shot(phone, "the data dictionary on a phone")
