"""The read model's handlers write a batch with one statement per table: a batch in which
several events touch the same row (a unit seen again under a new name, an obligation
answered twice) leaves exactly the rows that applying the events one by one leaves."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from feedback.handlers.readmodel import handler_table
from huiyin.clock import SystemClock
from huiyin.db import UnitOfWork, create_engine, session_factory
from huiyin.events import assignments as a
from huiyin.events.envelope import Event, new_event
from tests.integration.feedback import feedback_kit as kit
from tests.support.infra import Infra

pytestmark = pytest.mark.integration

TABLES = {
    "fb_rm_unit": "unit_id",
    "fb_rm_assignment": "assignment_id",
    "fb_rm_obligation": "assignment_id, cycle, kind",
    "fb_rm_daily": "unit_id, category, day",
    "fb_rm_times": "unit_id, category, month, kind",
}


def batches() -> list[list[Event[Any]]]:
    """Runs of one event type each, in the order a consumer would hand them over."""
    at = kit.sh("2026-11-02", "09:00")
    unit, renamed = (
        kit.Unit("unit-a", "湖滨派出所", "district-1"),
        kit.Unit("unit-a", "湖滨新区派出所", "district-1"),
    )
    other = kit.Unit("unit-b", "北山派出所", "district-2")
    routed = [
        kit.routed(uuid.uuid4(), uuid.uuid4(), u, at + timedelta(minutes=i), "noise")
        for i, u in enumerate((unit, other, unit, renamed, other))
    ]
    first = routed[0]
    acks = [  # the same obligation answered twice (a retried command), the later one first
        kit.outcome(a.ComplaintAcknowledged, first, at + timedelta(minutes=50)),
        kit.outcome(a.ComplaintAcknowledged, first, at + timedelta(minutes=20)),
        kit.outcome(a.ComplaintAcknowledged, routed[1], at + timedelta(minutes=90)),
    ]
    resolves = [
        kit.outcome(a.ComplaintResolved, first, at + timedelta(hours=3)),
        kit.outcome(a.ComplaintResolved, first, at + timedelta(hours=2)),
    ]
    return [[new_event(d, source="test", time=at) for d in run] for run in (routed, acks, resolves)]


async def apply(database_url: str, runs: list[list[Event[Any]]]) -> None:
    table = handler_table()
    engine = create_engine(database_url, pool_size=1)
    sessions = session_factory(engine)
    try:
        for events in runs:
            async with UnitOfWork(sessions, clock=SystemClock(), source="test") as uow:
                for handler in table[type(events[0].data)]:
                    await handler(uow, events)
                await uow.commit()
    finally:
        await engine.dispose()


async def snapshot(database_url: str) -> dict[str, list[dict[str, Any]]]:
    return {t: await kit.db_rows(database_url, f"SELECT * FROM {t} ORDER BY {o}") for t, o in TABLES.items()}


async def test_a_batch_touching_a_row_twice_equals_one_event_at_a_time(infra: Infra) -> None:
    runs = batches()
    together, apart = infra.create_database("feedback"), infra.create_database("feedback")
    await apply(together, runs)
    await apply(apart, [[e] for events in runs for e in events])
    rows = await snapshot(together)
    assert rows == await snapshot(apart)
    assert [(u["unit_id"], u["name"]) for u in rows["fb_rm_unit"]] == [
        ("unit-a", "湖滨新区派出所"), ("unit-b", "北山派出所"),
    ]  # fmt: skip
    first = runs[0][0].data
    done = {
        o["kind"]: o["done_at"] for o in rows["fb_rm_obligation"] if o["assignment_id"] == first.assignment_id
    }
    assert done == {
        "ack": first.routed_at + timedelta(minutes=20),
        "resolve": first.routed_at + timedelta(hours=2),
    }
    assert len(rows["fb_rm_obligation"]) == 10 and rows["fb_rm_daily"]
