"""Overload: filing does not depend on routing, and one flooding client cannot crowd out others."""

from __future__ import annotations

import asyncio

import pytest

from huiyin.devstack.stack import Stack
from tests.faults.counts import complete, loops, settle
from tests.support.load import file_load_elsewhere as file_load

pytestmark = pytest.mark.faults


async def test_filing_goes_on_while_routing_is_stopped(faulty: Stack) -> None:
    await asyncio.to_thread(faulty.stop_service, "routing")
    try:
        during = await file_load(faulty.url("intake"), rate=50, count=1500, client_ip="127.0.0.21")  # 30 s
    finally:
        await asyncio.to_thread(faulty.start_service, "routing")
        await asyncio.to_thread(faulty.wait_ready, ("routing",))
    print(
        f"\nrouting stopped 30 s: {during.summary()} "
        f"filing p50={during.percentile(0.5) * 1000:.1f} ms p99={during.percentile(0.99) * 1000:.1f} ms"
    )
    assert during.statuses == {201: 1500}
    counts = await settle(faulty, during.accepted, timeout=180)  # the backlog drains
    print("routing stopped counts:", counts.line())
    assert complete(counts, 1500), await loops(faulty)


async def test_a_flooding_client_is_limited_while_others_are_served(faulty: Stack) -> None:
    # An intake replica with a small per-client allowance (60 filings a minute), so the flood
    # is over it within seconds whatever this machine's speed.
    await asyncio.to_thread(faulty.start_service, "intake", 2, {"INTAKE_FILING_RATE_PER_MINUTE": "60"})
    await asyncio.to_thread(faulty.wait_ready, ("intake",), 60.0, 2)
    try:
        flood, normal = await asyncio.gather(
            file_load(faulty.url("intake", 2), rate=40, count=200, client_ip="127.0.0.22"),
            file_load(faulty.url("intake", 2), rate=4, count=20, client_ip="127.0.0.23"),
        )
    finally:
        await asyncio.to_thread(faulty.stop_service, "intake", 2)
    print(f"\nflood: {flood.summary()}\nnormal: {normal.summary()}")
    assert flood.statuses[429] >= 200 - 2 * 60  # at most two minute-windows' allowance got through
    assert set(flood.statuses) <= {201, 429}
    assert normal.statuses == {201: 20}
