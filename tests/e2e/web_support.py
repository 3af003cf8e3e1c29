"""Driving Debian's Chromium with Playwright against the stack the `system` fixture runs:
a browser per test, pages with a phone or a desk viewport, screenshots of every step into
.artifacts/screenshots/, and a check that no page threw a JavaScript error."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright

from huiyin.devstack.stack import SERVICES, Stack

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESK = {"width": 1280, "height": 900}


@dataclass
class WebSession:
    browser: Browser
    test: str
    shots: int = 0
    errors: list[str] = field(default_factory=list)

    async def page(self, *, viewport: dict[str, int] = DESK, locale: str = "zh-CN") -> Page:
        """A fresh browser context (own cookies and sessionStorage, like another person)."""
        context = await self.browser.new_context(
            viewport=viewport, locale=locale, timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(15_000)
        page = await context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        return page

    async def shot(self, page: Page, step: str) -> Path:
        self.shots += 1
        path = SCREENSHOTS / f"{self.test}-{self.shots:02d}-{re.sub(r'[^a-z0-9-]+', '-', step.lower())}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path


def require_pages(system: Stack) -> None:
    """Fail with what to do when a service runs without its page router."""
    for service in SERVICES:
        if httpx.get(system.url(service) + "/web/static/huiyin.css", timeout=10).status_code != 200:
            pytest.fail(
                f"{service} serves no pages: add `{service}.web.pages.router` to the routers of "
                f"{service}.entrypoints.app.create_app (docs/web.md)"
            )


@asynccontextmanager
async def web_session(test: str, system: Stack) -> AsyncIterator[WebSession]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: apt-get install -y chromium fonts-noto-cjk")
    require_pages(system)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        session = WebSession(browser, test)
        try:
            yield session
        finally:
            await browser.close()
        assert session.errors == [], f"JavaScript errors on the pages: {session.errors}"


async def sign_in(page: Page, username: str, password: str) -> None:
    """The staff sign-in box every staff page shows until a token is in sessionStorage."""
    await page.fill("#signin-username", username)
    await page.fill("#signin-password", password)
    await page.click("#signin-submit")
    await page.wait_for_selector("#whoami:not(.hidden)")


async def until(
    check: Callable[[], Awaitable[bool]], *, act: Callable[[], Awaitable[object]], timeout: float = 40
) -> None:
    """Repeat `act` (a click on refresh, on apply...) until `check` holds, as a person would."""
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, f"the page did not show the expected result within {timeout}s"
        await act()
        await asyncio.sleep(1)
