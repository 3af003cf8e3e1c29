"""A transaction that draws an outbox id early and commits late, after the relay's poll floor
has passed that id, still gets its event published: by the sweep from zero."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import text

from huiyin.db import asyncpg_dsn
from huiyin.outbox.writer import write_outbox
from tests.integration.platform import probe
from tests.support.apps import eventually
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


async def _published(url: str, event_id: str) -> bool:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return bool(
            await conn.fetchval("SELECT published_at IS NOT NULL FROM outbox WHERE event_id = $1", event_id)
        )
    finally:
        await conn.close()


async def test_a_row_committed_below_the_floor_is_published_by_the_sweep(
    infra: Infra, topic_prefix: str
) -> None:
    db = infra.create_database("intake", revision="0001")
    rt, relay = probe.producer_with_relay(
        db,
        infra.kafka_bootstrap,
        topic_prefix,
        "late-commit-test",
        idle_poll_s=0.05,
        lookback_s=0.2,
        sweep_every_s=3.0,
    )
    await rt.start()
    try:
        async with rt.uow() as held:
            # The late transaction draws its outbox id first and holds it uncommitted ...
            late = held.emit(probe.submitted())
            await write_outbox(held.session, held.pending)
            held.pending.clear()
            late_id = await held.session.scalar(
                text("SELECT id FROM outbox WHERE event_id = :e"), {"e": late.id}
            )
            assert late_id is not None
            # ... while later ones commit and are published, until the floor has passed it.
            for _ in range(150):  # up to ~15 s on a slow host
                async with rt.uow() as uow:
                    uow.emit(probe.submitted())
                    await uow.commit()
                await asyncio.sleep(0.1)
                if relay.status.poll_floor > late_id:
                    break
            assert relay.status.poll_floor > late_id
            await held.commit()
        assert await eventually(lambda: _published(db, late.id), until=bool, timeout=30)
    finally:
        await rt.close()
