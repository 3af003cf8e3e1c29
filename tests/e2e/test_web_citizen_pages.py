"""The citizen's pages on a phone-sized screen: the language switch (remembered, and
followed by the other services' pages), and a validation error shown next to its field."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from huiyin.devstack.stack import Stack
from tests.e2e.web_support import PHONE, web_session

pytestmark = pytest.mark.e2e


async def test_language_switch_is_remembered_across_pages(system: Stack) -> None:
    async with web_session("language", system) as web:
        page = await web.page(viewport=PHONE)
        await page.goto(system.url("intake") + "/")
        await expect(page.locator("h1")).to_have_text("我要投诉")
        assert await page.get_attribute("html", "lang") == "zh-CN"
        await web.shot(page, "filing page in chinese")

        await page.click("#lang-switch")
        await expect(page.locator("h1")).to_have_text("File a complaint")
        assert await page.get_attribute("html", "lang") == "en"
        assert "Theft" in await page.inner_text("#category")
        await web.shot(page, "filing page in english")

        await page.click("nav >> text=Track a complaint")  # the choice is kept in a cookie
        await expect(page.locator("h1")).to_have_text("Track your complaint")
        await page.goto(system.url("routing") + "/station")  # same host: the cookie follows
        await expect(page.locator("h1")).to_have_text("Station inbox")
        await web.shot(page, "station page in english")

        await page.click("#lang-switch")
        await expect(page.locator("h1")).to_have_text("派出所工作台")


async def test_validation_errors_are_shown_next_to_their_fields(system: Stack) -> None:
    async with web_session("validation", system) as web:
        page = await web.page(viewport=PHONE)
        await page.goto(system.url("intake") + "/")
        await page.select_option("#category", "noise")
        await page.fill("#description", "太吵了")
        await page.check("#contact-named")
        await page.fill("#contact_phone", "12345")
        await page.click("#file-submit")

        description_error = page.locator(".field:has(#description) + .field-error")
        await expect(description_error).to_be_visible()
        assert await page.get_attribute("#description", "aria-describedby") == "error-description"
        await expect(page.locator(".field:has(#contact_phone) + .field-error")).to_contain_text(
            "手机号码格式不对"
        )
        await expect(page.locator("#location + .field-error")).to_contain_text("请填写地址或在地图上选择位置")
        await expect(page.locator("#form-error")).to_contain_text("请检查标出的字段")
        assert await page.locator("#filed").is_hidden()  # nothing was filed
        await web.shot(page, "errors next to the fields")

        await page.fill("#description", "楼上每天深夜装修，电钻声持续到凌晨一点。")
        await page.fill("#contact_phone", "13900001111")
        await page.fill("#address", "汇音市钟楼区小河路 6 号")
        await page.click("#file-submit")
        await expect(page.locator("#filed")).to_be_visible()
        assert await page.locator(".field-error").count() == 0
        await web.shot(page, "corrected and filed")
