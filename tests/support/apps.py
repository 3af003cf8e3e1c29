"""Running a service's app in-process, lifespan and background loops included."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI

T = TypeVar("T")


@asynccontextmanager
async def running(app: FastAPI, base_url: str = "http://testserver") -> AsyncIterator[httpx.AsyncClient]:
    """Start the app's lifespan (relay, consumers, schedulers) and give an HTTP client to it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client


async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    until: Callable[[T], bool] = bool,
    timeout: float = 20.0,
    every: float = 0.1,
) -> T:
    """Poll `probe` until `until(value)` holds; fail with the last value seen."""
    deadline = time.monotonic() + timeout
    value: Any = None
    while time.monotonic() < deadline:
        value = await probe()
        if until(value):
            return value  # type: ignore[no-any-return]
        await asyncio.sleep(every)
    raise AssertionError(f"condition not met within {timeout}s; last value: {value!r}")
