"""Hot-spot detection at scale: its real handler over consumer-sized batches with 0 and
then more sightings already stored inside the window, in a scratch routing database (migrated
and seeded with the demo city) on the stack's PostgreSQL: the running services never see the
generated sightings or the events detection emits. Python CPU, PostgreSQL CPU and throughput
per stored size show whether the cost per complaint grows with the number stored."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg

from bench import hotspot_detect, hotspot_load, system
from bench.context import Context
from huiyin.devstack.stack import Stack
from huiyin.migrate import upgrade
from routing.demo import seed
from routing.hotspots.rules import HotspotRules

BATCH = 500  # the consumer's batch size (ServiceSettings.consumer_batch_size)
SCRATCH = "bench_hotspots"


@contextmanager
def scratch_database(stack: Stack) -> Iterator[tuple[str, str]]:
    """(psycopg dsn, asyncpg url) of a fresh routing database, dropped afterwards."""
    with psycopg.connect(system.server_dsn(stack), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {SCRATCH}")
    url = stack.postgres.url(SCRATCH)
    try:
        upgrade("routing", url)
        asyncio.run(seed(url))
        yield stack.postgres.dsn(SCRATCH), url
    finally:
        with psycopg.connect(system.server_dsn(stack), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


def run_part(ctx: Context) -> dict[str, Any]:
    with scratch_database(ctx.stack) as (dsn, url):
        return _measure(ctx, dsn, url)


def _measure(ctx: Context, dsn: str, url: str) -> dict[str, Any]:
    plan, pg_pid = ctx.plan, ctx.stack.postgres.pid()
    if pg_pid is None:
        raise RuntimeError("PostgreSQL is not running: the hot-spot part needs its process tree")
    rules = HotspotRules()
    out: dict[str, Any] = {"batch": BATCH, "by_stored": {}}
    for stored in plan.hotspots_stored:
        with ctx.step(f"hot spots: {stored:,} stored in the window", stored / 15_000 + 2):
            hotspot_load.empty(dsn)
            loaded = hotspot_load.load(
                dsn, stored=stored, now=datetime.now(UTC), rules=rules, pool=plan.hotspots_pool
            )
        with ctx.step(f"hot spots: detecting {plan.hotspots_complaints:,} new complaints", 10):
            measured = asyncio.run(
                hotspot_detect.measure(
                    url, pg_pid, complaints=plan.hotspots_complaints, batch=BATCH, rules=rules
                )
            )
        out["by_stored"][str(stored)] = {**loaded, **measured}
    return out
