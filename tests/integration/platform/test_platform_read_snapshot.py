"""`UnitOfWork.read_snapshot`: every query of the unit of work sees one snapshot, it cannot
write, and the pooled connection goes back to READ COMMITTED afterwards. Real PostgreSQL."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from huiyin.clock import SystemClock
from huiyin.db import UnitOfWork, asyncpg_dsn, create_engine, session_factory
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


async def test_a_read_snapshot_does_not_see_a_commit_between_its_queries(infra: Infra) -> None:
    db = infra.create_database("intake", revision="0001")
    other = await asyncpg.connect(asyncpg_dsn(db))
    engine = create_engine(db, pool_size=1)  # one connection: the reset is seen by the next unit
    try:
        await other.execute("CREATE TABLE snapshot_probe (n int)")
        sessions = session_factory(engine)

        def uow() -> UnitOfWork:
            return UnitOfWork(sessions, clock=SystemClock(), source="test")

        async def count(u: UnitOfWork) -> int:
            return int((await u.session.execute(text("SELECT count(*) FROM snapshot_probe"))).scalar_one())

        async with uow() as u:
            await u.read_snapshot()
            await u.read_snapshot()  # a read calling another: nothing more
            assert await count(u) == 0
            await other.execute("INSERT INTO snapshot_probe VALUES (1)")  # committed meanwhile
            assert await count(u) == 0
            iso = (await u.session.execute(text("SHOW transaction_isolation"))).scalar_one()
            assert iso == "repeatable read"
            with pytest.raises(DBAPIError, match="read-only transaction"):
                await u.session.execute(text("INSERT INTO snapshot_probe VALUES (2)"))

        # The same pooled connection, an ordinary unit of work: READ COMMITTED and writable,
        # so each statement sees what was committed before it.
        async with uow() as u:
            iso = (await u.session.execute(text("SHOW transaction_isolation"))).scalar_one()
            assert iso == "read committed"
            assert await count(u) == 1
            await other.execute("INSERT INTO snapshot_probe VALUES (3)")
            assert await count(u) == 2
            await u.session.execute(text("INSERT INTO snapshot_probe VALUES (4)"))
            await u.commit()
        assert await other.fetchval("SELECT count(*) FROM snapshot_probe") == 3

        async with uow() as u:  # too late once the transaction ran a query
            await count(u)
            with pytest.raises(RuntimeError, match="before the transaction's first query"):
                await u.read_snapshot()
    finally:
        await engine.dispose()
        await other.close()
