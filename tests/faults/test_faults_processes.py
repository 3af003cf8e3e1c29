"""Real faults on real processes: nothing accepted is lost or doubled.

Each test drives a bounded open-loop load of filings on loopback, injects a fault, waits for
the system to settle, then counts in every service's database and asserts exact equality.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from huiyin.devstack.stack import Stack
from tests.faults.counts import complete, loops, settle, stored_since
from tests.support.load import file_load_elsewhere as file_load

pytestmark = pytest.mark.faults


async def _restart(stack: Stack, service: str, replica: int = 1) -> None:
    await asyncio.to_thread(stack.start_service, service, replica)
    await asyncio.to_thread(stack.wait_ready, (service,), 60.0, replica)


async def test_broker_killed_for_ten_seconds(faulty: Stack) -> None:
    load = asyncio.create_task(file_load(faulty.url("intake"), rate=100, count=1500, client_ip="127.0.0.11"))
    await asyncio.sleep(3)
    await asyncio.to_thread(faulty.kafka.kill9)
    await asyncio.sleep(10)
    await asyncio.to_thread(faulty.kafka.start)
    result = await load
    print("\nbroker kill -9:", result.summary())
    # The outbox holds the events: filing never depended on Kafka being up.
    assert result.statuses == {201: 1500}
    counts = await settle(faulty, result.accepted, timeout=180)
    print("broker kill -9 counts:", counts.line())
    assert complete(counts, 1500), await loops(faulty)


async def test_each_service_killed_mid_load(faulty: Stack) -> None:
    since = datetime.now(UTC)
    load = asyncio.create_task(file_load(faulty.url("intake"), rate=100, count=2000, client_ip="127.0.0.12"))
    for service in ("intake", "routing", "feedback"):
        await asyncio.sleep(4)
        await asyncio.to_thread(faulty.kill_service, service)
        await asyncio.sleep(1)
        await _restart(faulty, service)
    result = await load
    print("\nservices kill -9:", result.summary())
    assert set(result.statuses) <= {201}, result.statuses  # refused connections while intake was down
    stored = await stored_since(faulty, since)
    # A filing committed just before the kill may have lost its 201 on the way: it is still
    # stored and must be handled like any other. Nothing that got a 201 may be missing.
    assert set(result.accepted) <= set(stored)
    counts = await settle(faulty, stored, timeout=180)
    print("services kill -9 counts:", counts.line(), f"accepted={len(result.accepted)} stored={len(stored)}")
    assert complete(counts, len(stored)), await loops(faulty)


async def test_postgres_restarted_mid_load(faulty: Stack) -> None:
    load = asyncio.create_task(file_load(faulty.url("intake"), rate=100, count=1500, client_ip="127.0.0.13"))
    await asyncio.sleep(4)
    await asyncio.to_thread(faulty.postgres.stop, "fast")
    await asyncio.sleep(5)
    await asyncio.to_thread(faulty.postgres.start)
    result = await load
    print("\npostgres restart:", result.summary(), f"503-with-Retry-After={result.retry_after_on_503}")
    # While its database is down intake says 503 + Retry-After: never a 500, never a 201
    # for something it did not store.
    assert set(result.statuses) <= {201, 503}, result.statuses
    assert result.statuses[503] > 0 and result.retry_after_on_503 == result.statuses[503]
    assert not result.transport_errors
    counts = await settle(faulty, result.accepted, timeout=180)
    print("postgres restart counts:", counts.line())
    assert complete(counts, len(result.accepted)), await loops(faulty)


async def test_replicas_share_the_work_and_take_over(faulty: Stack) -> None:
    for service in ("routing", "feedback"):
        await _restart(faulty, service, replica=2)
    try:
        load = asyncio.create_task(
            file_load(faulty.url("intake"), rate=100, count=1500, client_ip="127.0.0.14")
        )
        await asyncio.sleep(6)
        # One replica of each dies; the other takes over its partitions, lanes and timers.
        await asyncio.to_thread(faulty.kill_service, "routing", 1)
        await asyncio.to_thread(faulty.kill_service, "feedback", 2)
        result = await load
        print("\nreplicas:", result.summary())
        assert result.statuses == {201: 1500}
        counts = await settle(faulty, result.accepted, timeout=180)
        print("replicas counts:", counts.line())
        assert complete(counts, 1500), await loops(faulty)
    finally:
        await _restart(faulty, "routing", 1)
        await asyncio.to_thread(faulty.stop_service, "routing", 2)
        await asyncio.to_thread(faulty.stop_service, "feedback", 2)


async def test_sigterm_drains_in_flight_work(faulty: Stack) -> None:
    since = datetime.now(UTC)
    # No keep-alive: each request opens its own connection, so a request is either refused
    # (never in flight) or accepted and must then be answered.
    load = asyncio.create_task(
        file_load(faulty.url("intake"), rate=100, count=1500, client_ip="127.0.0.15", keepalive=False)
    )
    await asyncio.sleep(4)
    await asyncio.to_thread(faulty.stop_service, "intake")  # SIGTERM, graceful
    await asyncio.to_thread(faulty.stop_service, "routing")
    await _restart(faulty, "intake")
    await _restart(faulty, "routing")
    result = await load
    print("\nSIGTERM:", result.summary())
    assert not [s for s in result.statuses if s >= 500], result.statuses
    # Refused (ConnectError), or reset while still queued in the kernel's accept backlog when
    # the listening socket closed (ReadError): such a request never reached the service.
    assert set(result.transport_errors) <= {"ConnectError", "ReadError"}, result.transport_errors
    stored = await stored_since(faulty, since)
    # What reached the service was answered: every stored filing got its 201, none was lost.
    assert set(result.accepted) == set(stored)
    counts = await settle(faulty, stored, timeout=180)
    print("SIGTERM counts:", counts.line())
    assert complete(counts, len(stored)), await loops(faulty)


async def test_consumers_join_and_leave_mid_load(faulty: Stack) -> None:
    """Rebalances while batches are in flight: a routing and a feedback replica join, then leave."""
    load = asyncio.create_task(file_load(faulty.url("intake"), rate=100, count=1500, client_ip="127.0.0.16"))
    await asyncio.sleep(3)
    await _restart(faulty, "routing", replica=3)
    await _restart(faulty, "feedback", replica=3)
    await asyncio.sleep(4)
    await asyncio.to_thread(faulty.stop_service, "routing", 3)
    await asyncio.to_thread(faulty.kill_service, "feedback", 3)
    result = await load
    print("\nrebalance:", result.summary())
    assert result.statuses == {201: 1500}
    counts = await settle(faulty, result.accepted, timeout=180)
    print("rebalance counts:", counts.line())
    assert complete(counts, 1500), await loops(faulty)
