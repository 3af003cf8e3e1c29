"""The SLA service functions routing calls, on real PostgreSQL with explicit times:
policy snapshots, pauses, outcomes, idempotence, provisional deadlines and recomputation."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from huiyin.db import asyncpg_dsn
from huiyin.events.sla import DeadlinesRecomputed
from huiyin.runtime import Runtime, build_runtime
from routing.sla import handlers, service
from routing.sla.calendar_file import load_calendar_file
from routing.sla.policy import Policy
from routing.sla.seed import seed_policies
from tests.integration.routing.test_sla_timers import UNITS, arm, routing_settings, timer_states
from tests.support.infra import Infra

pytestmark = pytest.mark.integration

SH = ZoneInfo("Asia/Shanghai")
H = 3600


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


@pytest.fixture
async def runtime(infra: Infra, topic_prefix: str) -> AsyncIterator[Runtime]:
    rt = build_runtime(routing_settings(infra.create_database("routing"), infra, topic_prefix))
    async with rt.uow() as uow:
        assert await seed_policies(uow.session) == 2
        assert await seed_policies(uow.session) == 0  # never overwrites
        await uow.commit()
    yield rt
    await rt.close()


async def cycle_row(rt: Runtime, assignment_id: uuid.UUID) -> asyncpg.Record:
    conn = await asyncpg.connect(asyncpg_dsn(rt.settings.database_url))
    try:
        return await conn.fetchrow("SELECT * FROM sla_cycles WHERE assignment_id = $1", assignment_id)
    finally:
        await conn.close()


async def test_default_policy_on_the_official_calendar(runtime: Runtime) -> None:
    _, assignment_id, d = await arm(runtime, "noise", start=at(2026, 9, 30, 16, 50))
    assert (d.ack_due, d.calendar, d.provisional) == (at(2026, 10, 8, 10, 20), "workdays", False)
    # 5 working days of 7 h: Sep 30, Oct 8, 9, the make-up Saturday Oct 10, 12, 13
    assert d.resolve_due == at(2026, 10, 13, 16, 50)
    row = await cycle_row(runtime, assignment_id)
    assert json.loads(row["policy"])["matched"] == "*/normal"
    assert json.loads(row["escalation_units"]) == UNITS


async def test_policy_edit_applies_to_cycles_armed_after_it(runtime: Runtime) -> None:
    start = at(2026, 3, 9, 9)
    _, before_id, before = await arm(runtime, "traffic", start=start)
    await handlers.save_policy(
        runtime.uow,
        category="traffic",
        priority="normal",
        policy=Policy(ack_within_s=H, resolve_within_s=7 * H, warn_at=0.5, calendar="workdays"),
        by="admin",
    )
    _, _, after = await arm(runtime, "traffic", start=start)
    assert (before.ack_due, after.ack_due) == (at(2026, 3, 9, 11), at(2026, 3, 9, 10))
    row = await cycle_row(runtime, before_id)
    assert json.loads(row["policy"])["ack_within_s"] == 2 * H and row["ack_due"] == before.ack_due


async def test_arm_and_settle_are_idempotent(runtime: Runtime) -> None:
    start = at(2026, 3, 9, 9)
    complaint_id, assignment_id, first = await arm(runtime, "noise", start=start)
    async with runtime.uow() as uow:
        again = await service.arm_cycle(
            uow,
            complaint_id=complaint_id,
            assignment_id=assignment_id,
            unit_id="station-1",
            category="noise",
            priority="urgent",
            cycle=1,
            start=at(2026, 3, 10, 9),
            escalation_units=[],
        )
        late = await service.settle(
            uow, assignment_id=assignment_id, cycle=1, kind="ack", at=at(2026, 3, 9, 14)
        )
        repeat = await service.settle(
            uow, assignment_id=assignment_id, cycle=1, kind="ack", at=at(2026, 3, 11, 9)
        )
        await uow.commit()
    assert again == first
    assert late == repeat
    assert (late.met, late.wall_s, late.working_s) == (False, 5 * H, 3.5 * H)  # over lunch
    with pytest.raises(service.UnknownCycle):
        async with runtime.uow() as uow:
            await service.pause(uow, assignment_id=uuid.uuid4(), cycle=1, at=start)


async def test_awaiting_the_citizen_moves_the_resolve_deadline(runtime: Runtime) -> None:
    start = at(2026, 3, 9, 9)  # Monday; resolve due Friday 17:30 (5 working days)
    _, assignment_id, d = await arm(runtime, "noise", start=start)
    assert d.resolve_due == at(2026, 3, 13, 17, 30)
    async with runtime.uow() as uow:
        await service.settle(uow, assignment_id=assignment_id, cycle=1, kind="ack", at=at(2026, 3, 9, 10))
        await service.pause(uow, assignment_id=assignment_id, cycle=1, at=at(2026, 3, 10, 9))
        await uow.commit()
    assert (await timer_states(runtime.settings.database_url, assignment_id))["resolve_warn"] == "cancelled"
    async with runtime.uow() as uow:
        # Tuesday 09:00 -> Thursday 09:00: two working days (48 h of wall time) awaiting the citizen
        resolve_due, paused_s = await service.resume(
            uow, assignment_id=assignment_id, cycle=1, at=at(2026, 3, 12, 9)
        )
        assert await service.resume(uow, assignment_id=assignment_id, cycle=1, at=at(2026, 3, 12, 10)) == (
            resolve_due,
            0.0,
        )
        outcome = await service.settle(
            uow, assignment_id=assignment_id, cycle=1, kind="resolve", at=at(2026, 3, 17, 12)
        )
        await uow.commit()
    assert (resolve_due, paused_s) == (at(2026, 3, 17, 17, 30), 48 * H)
    assert outcome.met and outcome.due == resolve_due
    assert outcome.wall_s == (at(2026, 3, 17, 12) - start).total_seconds()
    # Mon 9 .. Mon 16 are six working days, then Tue 17 morning; minus the 14 h paused
    assert outcome.working_s == (6 * 7 + 3) * H - 14 * H
    row = await cycle_row(runtime, assignment_id)
    assert (row["paused_total_s"], row["paused_working_s"], row["paused_at"]) == (48 * H, 14 * H, None)
    states = await timer_states(runtime.settings.database_url, assignment_id)
    assert set(states.values()) == {"cancelled"}


async def test_cancel_reports_whether_the_ack_was_in_time(runtime: Runtime) -> None:
    start = at(2026, 3, 9, 9)
    ids = [(await arm(runtime, "noise", start=start))[1] for _ in range(3)]
    async with runtime.uow() as uow:
        await service.settle(uow, assignment_id=ids[2], cycle=1, kind="ack", at=at(2026, 3, 9, 9, 30))
        results = [
            await service.cancel_cycle(uow, assignment_id=ids[0], cycle=1, at=at(2026, 3, 9, 10)),
            await service.cancel_cycle(uow, assignment_id=ids[1], cycle=1, at=at(2026, 3, 9, 12)),
            await service.cancel_cycle(uow, assignment_id=ids[2], cycle=1, at=at(2026, 3, 9, 12)),
            await service.cancel_cycle(uow, assignment_id=ids[1], cycle=1, at=at(2026, 3, 10, 12)),
        ]
        await uow.commit()
    assert results == [True, False, None, False]


async def test_provisional_deadline_is_recomputed_when_the_year_is_loaded(
    runtime: Runtime, tmp_path: Path
) -> None:
    complaint_id, assignment_id, d = await arm(runtime, "noise", start=at(2026, 12, 31, 9))
    assert d.provisional and d.resolve_due == at(2027, 1, 6, 17, 30)  # weekdays only in 2027
    pending_resolve = "SELECT kind, due_at FROM sla_timers WHERE assignment_id = $1 AND kind LIKE 'resolve%' AND state = 'pending'"
    conn = await asyncpg.connect(asyncpg_dsn(runtime.settings.database_url))
    try:
        [(kind, warn_before)] = await conn.fetch(pending_resolve, assignment_id)
    finally:
        await conn.close()
    assert kind == "resolve_warn"
    schedule = tmp_path / "2027.json"
    schedule.write_text(json.dumps({"year": 2027, "holidays": ["2027-01-01..2027-01-03"], "workdays": []}))
    [load] = await load_calendar_file(runtime.uow, schedule)
    assert (load.year, load.holidays, load.recomputed) == (2027, 3, 1)
    row = await cycle_row(runtime, assignment_id)
    assert (row["provisional"], row["resolve_due"]) == (False, at(2027, 1, 7, 17, 30))
    conn = await asyncpg.connect(asyncpg_dsn(runtime.settings.database_url))
    try:
        types = await conn.fetch("SELECT event_type FROM outbox WHERE key = $1", str(complaint_id))
        [(kind, warn_after)] = await conn.fetch(pending_resolve, assignment_id)
    finally:
        await conn.close()
    assert [r["event_type"] for r in types] == [DeadlinesRecomputed.event_type]
    # the armed step (the warning, 0.75 of the window) is planned again: a working day later
    assert kind == "resolve_warn" and warn_after - warn_before == timedelta(days=1)
    with pytest.raises(Exception, match="weekend"):
        schedule.write_text(json.dumps({"year": 2027, "holidays": [], "workdays": ["2027-01-04"]}))
        await load_calendar_file(runtime.uow, schedule)
