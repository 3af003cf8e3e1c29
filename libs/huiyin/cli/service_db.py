"""A service's settings and database from an operator's command (no HTTP, no loops).

Each command reads the same environment variables as the service it acts for
(`ROUTING_DATABASE_URL`, ...), so it runs wherever that service's configuration is.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import typer

from huiyin.clock import SystemClock
from huiyin.db import UnitOfWork, UowFactory, create_engine, session_factory
from huiyin.settings import ServiceSettings

SERVICES = ("intake", "routing", "feedback")


def settings_for(service: str) -> Any:
    """The service's settings class, built from the environment (validated: bad values exit)."""
    if service not in SERVICES:
        raise typer.BadParameter(f"unknown service {service!r} (one of {', '.join(SERVICES)})")
    module = importlib.import_module(f"{service}.settings")
    cls = getattr(module, f"{service.capitalize()}Settings")
    try:
        return cls()
    except ValueError as exc:
        raise typer.BadParameter(f"{service} settings from the environment are invalid: {exc}") from exc


@asynccontextmanager
async def service_uow(settings: ServiceSettings) -> AsyncIterator[UowFactory]:
    engine = create_engine(settings.database_url, pool_size=2)
    sessions = session_factory(engine)
    try:
        yield lambda: UnitOfWork(sessions, clock=SystemClock(), source=f"/huiyin/{settings.service_name}")
    finally:
        await engine.dispose()
