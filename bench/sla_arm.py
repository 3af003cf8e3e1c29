"""Arming timers through the SLA engine's own path: `routing.sla.service.arm_cycles`, in
batches the size of a consumer batch, one transaction each (as routing's consumer does).
What is not included: reading the events from Kafka and writing the assignment rows."""

from __future__ import annotations

import random
import time
import uuid

from sqlalchemy import text

from huiyin.clock import SystemClock
from huiyin.db import UnitOfWork, create_engine, session_factory
from routing.demo import demo_units
from routing.sla.service import ArmRequest, arm_cycles


async def arm(database_url: str, *, timers: int, batch: int = 500) -> dict[str, float]:
    """Arm cycles until at least `timers` timers were written; time it."""
    engine = create_engine(database_url, pool_size=2)
    sessions, clock = session_factory(engine), SystemClock()
    stations = [u["id"] for u in demo_units() if u["kind"] == "police_station"]
    rnd = random.Random(12)

    async def count(ids: list[uuid.UUID]) -> int:
        async with UnitOfWork(sessions, clock=clock, source="bench") as uow:
            sql = text("SELECT count(*) FROM sla_timers WHERE assignment_id = ANY(:ids)")
            return int((await uow.session.execute(sql, {"ids": ids})).scalar_one())

    try:
        cycles, written, seconds = 0, 0, 0.0
        while written < timers:
            requests = [
                ArmRequest(
                    complaint_id=uuid.uuid4(),
                    assignment_id=uuid.uuid4(),
                    unit_id=rnd.choice(stations),
                    category=rnd.choice(["traffic", "noise", "theft", "fraud", "other"]),
                    priority="urgent" if rnd.random() < 0.1 else "normal",
                    cycle=1,
                    start=clock.now(),
                    escalation_units=["bureau-zhonglou", "supervision"],
                )
                for _ in range(batch)
            ]
            started = time.perf_counter()
            async with UnitOfWork(sessions, clock=clock, source="bench") as uow:
                await arm_cycles(uow, requests)
                await uow.commit()
            seconds += time.perf_counter() - started
            cycles += batch
            written += await count([r.assignment_id for r in requests])  # not timed
    finally:
        await engine.dispose()
    return {
        "timers": written,
        "cycles": cycles,
        "seconds": round(seconds, 3),
        "timers_per_s": round(written / seconds, 1),
        "cycles_per_s": round(cycles / seconds, 1),
        "seconds_per_100k": round(seconds * 100_000 / written, 2),
    }
