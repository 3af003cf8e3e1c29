"""A bounded, open-loop filing load on loopback: requests leave on schedule, not on replies."""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

CATEGORIES = (
    "noise",
    "public_order",
    "theft",
    "fraud",
    "neighbourhood_dispute",
    "service_attitude",
    "traffic",
)
DESCRIPTIONS = (
    "小区门口夜间施工噪音严重，已经持续一周，影响休息。",
    "菜市场附近经常有人聚集争吵，希望加强巡逻。",
    "电动车在楼下被盗，报警后一直没有回复。",
    "接到冒充客服的诈骗电话，损失了两千元。",
    "邻居长期占用公共楼道堆放杂物，多次沟通无果。",
    "窗口办事人员态度生硬，材料被来回退回三次。",
    "路口红绿灯故障，早高峰拥堵严重，存在安全隐患。",
)


def filing_body(rng: random.Random) -> dict[str, Any]:
    i = rng.randrange(len(CATEGORIES))
    return {
        "category": CATEGORIES[i],
        "description": DESCRIPTIONS[i] + f"（编号{rng.randrange(10**6)}）",
        "location": {
            "lat": round(rng.uniform(30.21, 30.39), 6),
            "lon": round(rng.uniform(120.01, 120.29), 6),
        },
        "channel": "web",
    }


@dataclass
class LoadResult:
    accepted: list[str] = field(default_factory=list)  # complaint ids that got a 201
    latencies: list[float] = field(default_factory=list)  # seconds, of the 201s
    statuses: Counter[int] = field(default_factory=Counter)
    transport_errors: Counter[str] = field(default_factory=Counter)
    retry_after_on_503: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"sent={sum(self.statuses.values()) + sum(self.transport_errors.values())} "
            f"201={len(self.accepted)} statuses={dict(self.statuses)} "
            f"transport_errors={dict(self.transport_errors)} in {self.seconds:.1f}s"
        )

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(q * len(ordered)), len(ordered) - 1)] if ordered else float("nan")


async def file_load(
    base_url: str,
    *,
    rate: float,
    count: int,
    seed: int = 7,
    client_ip: str = "127.0.0.1",
    timeout: float = 30.0,
    keepalive: bool = True,
) -> LoadResult:
    """POST `count` filings at `rate`/s; every request is scheduled at t0 + i/rate.
    `client_ip` is the loopback source address (127.0.0.0/8), so tests can be several clients."""
    rng = random.Random(seed)
    result = LoadResult()
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=100 if keepalive else 0)
    transport = httpx.AsyncHTTPTransport(local_address=client_ip, limits=limits)
    # At most as many requests in flight as connections: the rest wait here, in O(1), rather
    # than in httpcore's pool queue, whose cost grows with its length (a flood stalled there).
    in_flight = asyncio.Semaphore(200)
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport) as client:

        async def one(body: dict[str, Any]) -> None:
            sent = time.monotonic()
            try:
                async with in_flight:
                    response = await client.post("/api/v1/complaints", json=body)
            except httpx.HTTPError as exc:
                result.transport_errors[type(exc).__name__] += 1
                return
            result.statuses[response.status_code] += 1
            if response.status_code == 201:
                result.accepted.append(response.json()["id"])
                result.latencies.append(time.monotonic() - sent)
            elif response.status_code == 503 and "retry-after" in response.headers:
                result.retry_after_on_503 += 1

        start = time.monotonic()
        tasks = []
        for i in range(count):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(filing_body(rng))))
        await asyncio.gather(*tasks)
        result.seconds = time.monotonic() - start
    return result


def _run_load(base_url: str, kwargs: dict[str, Any]) -> LoadResult:
    return asyncio.run(file_load(base_url, **kwargs))


async def file_load_elsewhere(base_url: str, **kwargs: Any) -> LoadResult:
    """`file_load` in a process of its own: the client's CPU work never starves the test's own
    event loop, which must stay free to inject faults on time."""
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return await loop.run_in_executor(pool, _run_load, base_url, kwargs)
