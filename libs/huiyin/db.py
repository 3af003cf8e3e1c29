"""Database helpers: engine factory, unit of work, and the tables every service shares.

Only a handler commits: it opens a `UnitOfWork`, changes state, `emit()`s events, and calls
`commit()`, which writes the events to the outbox in the same transaction. Leaving the
block without `commit()` rolls everything back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from huiyin import jsonutil
from huiyin.clock import Clock
from huiyin.events.envelope import Event, EventData, new_event
from huiyin.outbox.writer import write_outbox

SessionFactory = async_sessionmaker[AsyncSession]


def asyncpg_connect_args(url: str) -> dict[str, Any]:
    """Connect options for asyncpg: a 5 s connect timeout (60 s by default), and no TLS
    negotiation unless the URL asks for it (`?ssl=require` / `sslmode=`). asyncpg's default
    ("prefer") builds an SSL context for every connection attempt, which costs milliseconds
    of CPU: during a database outage the retries alone saturated a core."""
    wants_tls = "ssl=" in url or "sslmode=" in url
    return {"timeout": 5} if wants_tls else {"timeout": 5, "ssl": False}


def create_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        # Fail fast (503 + Retry-After) rather than queue requests for long when the
        # database is away or every connection is busy.
        pool_timeout=5,
        connect_args=asyncpg_connect_args(url),
        # JSON/JSONB columns through orjson, not the stdlib json SQLAlchemy uses by default.
        json_serializer=jsonutil.dumps_str,
        json_deserializer=jsonutil.loads,
        echo=echo,
    )


def session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False)


def asyncpg_dsn(url: str) -> str:
    """SQLAlchemy URL -> plain libpq DSN (for asyncpg/psycopg used directly)."""
    return url.replace("postgresql+asyncpg://", "postgresql://").replace(
        "postgresql+psycopg://", "postgresql://"
    )


async def read_snapshot(session: AsyncSession) -> None:
    """Make the session's transaction a read-only REPEATABLE READ one: every query in it
    sees the database as of its first. For reads that combine rows another transaction
    writes together (a status and its timeline entry, a count and its page, a case and its
    history): at READ COMMITTED each statement takes its own snapshot, so a commit landing
    between two of them shows half of it. Call it before the first query; calling it again
    in the same transaction (a read calling another) does nothing. A read-only transaction
    never fails to serialize, so there is nothing to retry, and it costs no extra round
    trip: the isolation level goes into the BEGIN."""
    transaction = session.sync_session.get_transaction()
    if transaction is not None and session.info.get("read_snapshot") is transaction:
        return
    if session.in_transaction():
        raise RuntimeError("read_snapshot() must come before the transaction's first query")
    await session.connection(
        execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    )
    session.info["read_snapshot"] = session.sync_session.get_transaction()


class UnitOfWork:
    """One transaction: state changes plus the outbox rows of the events they cause."""

    def __init__(self, sessions: SessionFactory, *, clock: Clock, source: str) -> None:
        self._sessions = sessions
        self.clock = clock
        self.source = source
        self.pending: list[Event[Any]] = []
        self._committed = False

    async def __aenter__(self) -> Self:
        self.session: AsyncSession = self._sessions()
        self.pending = []
        self._committed = False
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                await self.session.rollback()
        finally:
            await self.session.close()

    async def read_snapshot(self) -> None:
        """See `read_snapshot` (the function): this unit of work reads one snapshot."""
        await read_snapshot(self.session)

    def emit(self, data: EventData, *, time: datetime | None = None) -> Event[Any]:
        event = new_event(data, source=self.source, time=time or self.clock.now())
        self.pending.append(event)
        return event

    async def commit(self) -> None:
        if self.pending:
            await write_outbox(self.session, self.pending)
        await self.session.commit()
        self._committed = True
        self.pending = []


UowFactory = Callable[[], UnitOfWork]
