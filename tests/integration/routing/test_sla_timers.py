"""The SLA scheduler on real PostgreSQL and Kafka, in real time with second-long windows:
warn -> breach -> escalate in order, cancellation on settle, a restart in the middle, and
two schedulers over the same timers."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from huiyin.db import asyncpg_dsn
from huiyin.events import topics
from huiyin.events.sla import ComplaintEscalated, SlaBreached, SlaWarning
from huiyin.runtime import Runtime, build_runtime
from routing.settings import RoutingSettings
from routing.sla import handlers, service
from routing.sla.config import SlaSettings
from routing.sla.firing import fire_due
from routing.sla.policy import Policy
from routing.sla.wiring import install
from tests.support.apps import eventually
from tests.support.infra import Infra
from tests.support.topic_recorder import TopicRecorder

pytestmark = pytest.mark.integration

UNITS = ["bureau-west", "supervision"]
FAST = SlaSettings(max_sleep_s=0.2, status_refresh_s=0.5)


def routing_settings(db: str, infra: Infra, prefix: str) -> RoutingSettings:
    return RoutingSettings(
        database_url=db,
        kafka_bootstrap_servers=infra.kafka_bootstrap,
        kafka_topic_prefix=prefix,
        environment="test",
        outbox_idle_poll_s=0.2,
    )


async def started(db: str, infra: Infra, prefix: str, sla: SlaSettings = FAST) -> Runtime:
    runtime = build_runtime(routing_settings(db, infra, prefix))
    install(runtime, sla)
    await runtime.start()
    return runtime


async def fast_policy(runtime: Runtime, category: str, **fields: Any) -> None:
    values: dict[str, Any] = {
        "ack_within_s": 1,
        "resolve_within_s": 600,  # nothing of the resolve deadline falls due during a test
        "warn_at": 0.5,
        "calendar": "24x7",
        "escalate_after": (0.0, 1.0),
    }
    values.update(fields)
    await handlers.save_policy(
        runtime.uow, category=category, priority="normal", policy=Policy(**values), by="test"
    )


async def arm(
    runtime: Runtime, category: str, *, start: datetime | None = None, units: list[str] = UNITS
) -> tuple[uuid.UUID, uuid.UUID, service.Deadlines]:
    complaint_id, assignment_id = uuid.uuid4(), uuid.uuid4()
    async with runtime.uow() as uow:
        deadlines = await service.arm_cycle(
            uow,
            complaint_id=complaint_id,
            assignment_id=assignment_id,
            unit_id="station-1",
            category=category,
            priority="normal",
            cycle=1,
            start=start or runtime.clock.now(),
            escalation_units=units,
        )
        await uow.commit()
    return complaint_id, assignment_id, deadlines


class SlaTopic(TopicRecorder):
    """Everything published on the test's `sla` topic, decoded, in arrival order."""

    def __init__(self, infra: Infra, prefix: str) -> None:
        super().__init__(infra.kafka_bootstrap, prefix + topics.SLA)

    def of(self, complaint_id: uuid.UUID) -> list[tuple[str, str, int | None]]:
        """(event class, deadline kind, level) of one complaint's events, in order."""
        return [
            (type(e.data).__name__, e.data.kind, getattr(e.data, "level", None))
            for e in self.events
            if e.data.complaint_id == complaint_id
        ]

    async def wait_for(self, complaint_id: uuid.UUID, count: int, timeout: float = 20) -> list[Any]:
        return await eventually(
            lambda: _value(self.of(complaint_id)), until=lambda seen: len(seen) >= count, timeout=timeout
        )


async def _value(v: Any) -> Any:
    return v


async def timer_states(db: str, assignment_id: uuid.UUID) -> dict[str, str]:
    conn = await asyncpg.connect(asyncpg_dsn(db))
    try:
        rows = await conn.fetch(
            "SELECT kind, state FROM sla_timers WHERE assignment_id = $1 ORDER BY id", assignment_id
        )
        return {r["kind"]: r["state"] for r in rows}
    finally:
        await conn.close()


@pytest.fixture
async def db(infra: Infra) -> str:
    return infra.create_database("routing")


@pytest.fixture
async def sla_topic(infra: Infra, topic_prefix: str) -> AsyncIterator[SlaTopic]:
    async with SlaTopic(infra, topic_prefix) as topic:
        yield topic


STORY = [
    ("SlaWarning", "ack", None),
    ("SlaBreached", "ack", None),
    ("ComplaintEscalated", "ack", 1),
    ("ComplaintEscalated", "ack", 2),
]


async def test_warn_then_breach_then_escalation_levels_in_order(
    db: str, infra: Infra, topic_prefix: str, sla_topic: SlaTopic
) -> None:
    runtime = await started(db, infra, topic_prefix)
    try:
        await fast_policy(runtime, "noise")
        complaint_id, assignment_id, deadlines = await arm(runtime, "noise")
        seen = await sla_topic.wait_for(complaint_id, 4, timeout=15)
        assert seen == STORY
        events = {(type(e.data), getattr(e.data, "level", 0)): e for e in sla_topic.events}
        warn, breach = events[(SlaWarning, 0)], events[(SlaBreached, 0)]
        level1, level2 = events[(ComplaintEscalated, 1)], events[(ComplaintEscalated, 2)]
        assert warn.data.due == breach.data.due == deadlines.ack_due
        assert warn.data.at >= deadlines.ack_due - timedelta(seconds=0.5)  # warn_at 0.5 of a 1 s window
        assert breach.data.at >= deadlines.ack_due
        assert (level1.data.watcher_unit_id, level2.data.watcher_unit_id) == ("bureau-west", "supervision")
        assert level2.data.at >= deadlines.ack_due + timedelta(seconds=1)  # a second window overdue
        states = await timer_states(db, assignment_id)
        # one step armed at a time: each fired step armed the next; resolve waits on its warning
        assert {k: v for k, v in states.items() if k.startswith("ack")} == dict.fromkeys(
            ("ack_warn", "ack_breach", "ack_escalate_2"), "fired"
        )
        assert {k: v for k, v in states.items() if k.startswith("resolve")} == {"resolve_warn": "pending"}
    finally:
        await runtime.close()


async def test_settling_cancels_the_timers_of_that_deadline(
    db: str, infra: Infra, topic_prefix: str, sla_topic: SlaTopic
) -> None:
    runtime = await started(db, infra, topic_prefix)
    try:
        await fast_policy(runtime, "noise", ack_within_s=2, resolve_within_s=4)
        acked, acked_assignment, deadlines = await arm(runtime, "noise")
        returned, returned_assignment, _ = await arm(runtime, "noise")
        control, _, _ = await arm(runtime, "noise")
        async with runtime.uow() as uow:
            now = runtime.clock.now()
            outcome = await service.settle(uow, assignment_id=acked_assignment, cycle=1, kind="ack", at=now)
            ack_met = await service.cancel_cycle(uow, assignment_id=returned_assignment, cycle=1, at=now)
            await uow.commit()
        assert outcome.met and outcome.due == deadlines.ack_due and 0 <= outcome.wall_s < 2
        assert ack_met is True
        # the control complaint's resolve breach (4 s) comes after every ack timer (<= 4 s)
        await eventually(
            lambda: _value(sla_topic.of(control)),
            until=lambda s: ("SlaBreached", "resolve", None) in s,
            timeout=15,
        )
        assert all(kind == "resolve" for _, kind, _ in sla_topic.of(acked))
        assert ("SlaBreached", "resolve", None) in sla_topic.of(acked)  # resolve still runs
        assert sla_topic.of(returned) == []
        states = await timer_states(db, acked_assignment)
        assert {k: v for k, v in states.items() if k.startswith("ack")} == {"ack_warn": "cancelled"}
        assert await timer_states(db, returned_assignment) == dict.fromkeys(
            ("ack_warn", "resolve_warn"), "cancelled"
        )
    finally:
        await runtime.close()


async def test_restart_in_the_middle_neither_misses_nor_repeats_a_breach(
    db: str, infra: Infra, topic_prefix: str, sla_topic: SlaTopic
) -> None:
    first = await started(db, infra, topic_prefix)
    await fast_policy(first, "noise", ack_within_s=4, warn_at=0.2, escalate_after=(0.0,))
    complaint_id, assignment_id, deadlines = await arm(first, "noise")
    await eventually(lambda: timer_states(db, assignment_id), until=lambda s: s["ack_warn"] == "fired")
    await first.close()  # the service goes down after the warning (0.8 s), before the breach (4 s)

    await asyncio.sleep(max((deadlines.ack_due - datetime.now(UTC)).total_seconds(), 0) + 0.5)
    assert (await timer_states(db, assignment_id))["ack_breach"] == "pending"

    # a crash between claiming and committing: the claim is rolled back, nothing is emitted
    crashed = build_runtime(routing_settings(db, infra, topic_prefix))
    try:
        async with crashed.uow() as uow:
            assert await fire_due(uow, now=crashed.clock.now(), limit=10) == 1
            assert [e.type for e in uow.pending] == [SlaBreached.event_type, ComplaintEscalated.event_type]
            # leaving without commit = the process died here
    finally:
        await crashed.close()
    assert (await timer_states(db, assignment_id))["ack_breach"] == "pending"

    restarted_at = datetime.now(UTC)
    second = await started(db, infra, topic_prefix)
    try:
        seen = await sla_topic.wait_for(complaint_id, 3, timeout=15)
        breach = next(e for e in sla_topic.events if isinstance(e.data, SlaBreached))
        assert breach.data.at - restarted_at < timedelta(seconds=3)  # promptly after the start
        await asyncio.sleep(1.0)  # anything repeated would have arrived by now
        assert sla_topic.of(complaint_id) == seen == STORY[:3]
    finally:
        await second.close()


async def test_two_schedulers_over_the_same_timers_emit_each_breach_once(
    db: str, infra: Infra, topic_prefix: str, sla_topic: SlaTopic
) -> None:
    one = await started(db, infra, topic_prefix, SlaSettings(max_sleep_s=0.1, batch_size=5))
    two = await started(db, infra, topic_prefix, SlaSettings(max_sleep_s=0.1, batch_size=5))
    try:
        await fast_policy(one, "noise", ack_within_s=1.5)
        start = one.clock.now()
        complaints = [(await arm(one if i % 2 else two, "noise", start=start))[0] for i in range(30)]
        await eventually(
            lambda: _value(len(sla_topic.events)), until=lambda n: n >= 4 * len(complaints), timeout=30
        )
        await asyncio.sleep(1.0)  # room for a duplicate to show up
        for complaint_id in complaints:
            assert sla_topic.of(complaint_id) == STORY
        assert len({e.id for e in sla_topic.events}) == len(sla_topic.events) == 4 * len(complaints)
        counts = Counter(type(e.data).__name__ for e in sla_topic.events)
        assert counts == {"SlaWarning": 30, "SlaBreached": 30, "ComplaintEscalated": 60}
    finally:
        await one.close()
        await two.close()


async def test_concurrent_claims_skip_each_others_timers(db: str, infra: Infra, topic_prefix: str) -> None:
    one = build_runtime(routing_settings(db, infra, topic_prefix))
    two = build_runtime(routing_settings(db, infra, topic_prefix))
    try:
        await fast_policy(one, "noise")
        now = one.clock.now()
        early = {(await arm(one, "noise", start=now - timedelta(hours=2)))[0] for _ in range(10)}
        late = {(await arm(one, "noise", start=now - timedelta(hours=1)))[0] for _ in range(10)}

        async def claim(runtime: Runtime, limit: int, hold: float) -> tuple[int, list[Any]]:
            async with runtime.uow() as uow:
                claimed = await fire_due(uow, now=now, limit=limit)
                emitted = [e.data for e in uow.pending]
                await asyncio.sleep(hold)  # still holding the row locks
                await uow.commit()
            return claimed, emitted

        first = asyncio.create_task(claim(one, 20, hold=0.5))
        await asyncio.sleep(0.2)
        (n1, events1), (n2, events2) = await asyncio.gather(first, claim(two, 500, hold=0))
        assert (n1, n2) == (20, 20)  # each cycle's two armed steps; the second skipped what the first held
        assert {e.complaint_id for e in events1} == early
        assert {e.complaint_id for e in events2} == late
        emitted = events1 + events2
        for _ in range(8):  # each firing armed the next step, due already: fire until none is left
            claimed, events = await claim(one, 500, hold=0)
            emitted += events
            if not claimed:
                break
        # per cycle: warn, breach and two escalation levels, for ack and for resolve
        assert Counter(e.complaint_id for e in emitted) == dict.fromkeys(early | late, 8)
        async with one.uow() as uow:
            assert await fire_due(uow, now=now, limit=500) == 0
    finally:
        await one.close()
        await two.close()
