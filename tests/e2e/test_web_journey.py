"""The whole journey in a real browser: a citizen files -> the station sees it in its
inbox, acknowledges and resolves -> the citizen reads the answer and gives a verdict ->
the supervision dashboard shows the updated figures (and the complaint's audit timeline)."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from huiyin.devstack.stack import Stack
from routing.demo import DEMO_PASSWORD
from tests.e2e.web_support import PHONE, WebSession, sign_in, until, web_session

pytestmark = pytest.mark.e2e
STATION = "钟楼分局鼓楼派出所"
DESCRIPTION = "昨晚停在小区楼下的电动车被盗，车牌 A12345，楼道有监控。"
ANSWER = "已调取监控，找回被盗电动车，已通知您到所领取。"


async def file_as_citizen(web: WebSession, system: Stack) -> tuple[Page, str, str]:
    page = await web.page(viewport=PHONE)
    await page.goto(system.url("intake") + "/")
    await page.select_option("#category", "theft")
    await page.fill("#description", DESCRIPTION)
    assert f"{len(DESCRIPTION)} / 5000" in await page.inner_text("#description-count")
    await page.fill("#address", "汇音市钟楼区鼓楼大街 18 号")
    await page.locator('#map path[data-unit="ps-zhonglou-gulou"]').click(force=True)
    assert "鼓楼" in await page.inner_text("#picked")
    await page.check("#contact-named")
    await page.fill("#contact_name", "张三")
    await page.fill("#contact_phone", "13812345678")
    await web.shot(page, "citizen fills the form")
    await page.click("#file-submit")
    await page.wait_for_selector("#filed:not(.hidden)")
    code, access_token = await page.inner_text("#filed-code"), await page.inner_text("#filed-token")
    assert code and access_token
    assert "只显示这一次" in await page.inner_text("#filed")
    await web.shot(page, "citizen gets code and token")
    return page, code, access_token


async def station_resolves(web: WebSession, system: Stack, code: str) -> str:
    page = await web.page()
    await page.goto(system.url("routing") + "/station")
    await sign_in(page, "demo.officer", DEMO_PASSWORD)
    link = page.locator("#inbox-table a", has_text=code)
    await link.wait_for(timeout=40_000)  # the inbox refreshes itself every 10 s
    await web.shot(page, "station inbox shows the complaint")
    href = await link.get_attribute("href")
    assert href is not None
    complaint_id = href.rsplit("/", 1)[1]
    await link.click()
    await page.wait_for_selector("#case:not(.hidden)")
    assert STATION in await page.inner_text("#c-explanation")
    phone = page.locator("#contact-facts dd").nth(1)
    await phone.wait_for()
    assert "*" in await phone.inner_text()  # masked until a reason is given
    await page.fill("#unmask-reason", "回访核实被盗经过")
    await page.click("#unmask-submit")
    await expect(page.locator("#contact-facts")).to_contain_text("13812345678")
    await page.click("#do-acknowledge")
    await expect(page.locator("#c-state")).to_have_text("已签收")
    await page.click("summary:has-text('办结并答复')")
    await page.fill("#resolve-answer", ANSWER)
    await page.click("#do-resolve")
    await expect(page.locator("#c-state")).to_have_text("已办结")
    await web.shot(page, "station resolved with an answer")
    return complaint_id


async def citizen_gives_verdict(
    web: WebSession, page: Page, system: Stack, code: str, access_token: str
) -> None:
    await page.goto(system.url("intake") + "/track")
    await page.fill("#track-code", code)
    await page.fill("#track-token", access_token)
    await page.click("#track-submit")
    await page.wait_for_selector("#complaint:not(.hidden)")
    verdict_form = page.locator("#verdict-form")

    async def answered() -> bool:
        return ANSWER in await page.inner_text("#answer") and await verdict_form.is_visible()

    await until(answered, act=lambda: page.click("#refresh"))
    assert "已办结" in await page.inner_text("#state")
    await web.shot(page, "citizen reads the answer")
    await page.check("input[name=resolved][value=true]")
    await page.check("input[name=satisfaction][value=satisfied]")
    await page.fill("#verdict-comment", "处理及时，谢谢民警。")
    await page.click("#verdict-submit")
    await expect(page.locator("#verdict-status")).to_contain_text("感谢")
    await web.shot(page, "citizen gave the verdict")


async def satisfaction_cell(page: Page) -> str:
    row = page.locator("#rates-table tbody tr", has_text=STATION)
    if await row.count() == 0:
        return ""
    return await row.locator("td[data-label='满意率']").inner_text()


async def dashboard_shows(web: WebSession, page: Page, expected: str, step: str) -> None:
    async def shown() -> bool:
        return await satisfaction_cell(page) == expected

    await until(shown, act=lambda: page.click("#apply"))
    await web.shot(page, step)


async def test_citizen_station_verdict_dashboard(system: Stack) -> None:
    async with web_session("journey", system) as web:
        citizen, code, access_token = await file_as_citizen(web, system)
        complaint_id = await station_resolves(web, system, code)

        board = await web.page()
        await board.goto(system.url("feedback") + "/dashboard")
        await sign_in(board, "demo.supervision", DEMO_PASSWORD)
        await board.locator("#f-category option[value=theft]").wait_for(state="attached")
        await board.select_option("#f-category", "theft")
        await board.click("#rates-details summary")
        await dashboard_shows(web, board, "无数据", "dashboard before the verdict")
        row = board.locator("#rates-table tbody tr", has_text=STATION)
        assert await row.locator("td[data-label='响应率']").inner_text() == "100.0% (1/1)"

        await citizen_gives_verdict(web, citizen, system, code, access_token)

        await dashboard_shows(web, board, "100.0% (1/1)", "dashboard after the verdict")
        assert await row.locator("td[data-label='解决率']").inner_text() == "100.0% (1/1)"
        assert await board.evaluate("typeof Chart") == "function"  # the chart library was served
        ranked = board.locator("#ranking-table tbody tr", has_text=STATION)
        assert await ranked.count() == 1

        await board.goto(system.url("feedback") + f"/dashboard/audit?complaint={complaint_id}")
        verdict = board.locator('#audit-timeline li[data-type="huiyin.feedback.verdict_given.v1"]')
        await verdict.wait_for()
        assert "群众评价" in await verdict.inner_text()
        await web.shot(board, "audit timeline of the complaint")
