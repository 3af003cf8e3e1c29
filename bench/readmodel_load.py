"""A year of read-model facts in feedback's tables (see readmodel_sql.py), then the daily
counters counted by the read model's own rollup (`readmodel_rollup.recount`: every bucket
from all its facts, by the rules its consumers keep the counters by),
and the monthly time histograms filed by the read model's own `readmodel_times.recompute`
(the rows its consumers keep by difference equal these)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import text

from bench import readmodel_sql as sql
from feedback.adapters import readmodel_rollup, readmodel_times
from feedback.adapters.readmodel_tables import READ_MODEL_TABLES
from feedback.domain.periods import SHANGHAI
from huiyin.db import create_engine, session_factory

CATEGORIES = ["traffic", "public_order", "police_conduct", "household_registration", "noise",
              "fraud", "theft", "neighbourhood_dispute", "service_attitude", "other"]  # fmt: skip
CHUNK = 250_000  # complaints per transaction
DISTRICTS = 10


def units(n: int) -> dict[str, list[str]]:
    """`n` units over ten districts: police stations, and a traffic brigade in each district."""
    ids, names, kinds, districts, dnames = [], [], [], [], []
    for i in range(n):
        d = i % DISTRICTS + 1
        brigade = i < DISTRICTS
        ids.append(f"bench-{'tb' if brigade else 'ps'}-{i + 1:03d}")
        names.append(f"第{d}分局{'交警大队' if brigade else f'第{i + 1}派出所'}")
        kinds.append("traffic_brigade" if brigade else "police_station")
        districts.append(f"bench-bureau-{d:02d}")
        dnames.append(f"第{d}分局")
    return {"units": ids, "names": names, "kinds": kinds, "districts": districts, "district_names": dnames}


def year_start(now: datetime) -> datetime:
    """Local midnight 365 days before today: the facts span the year up to now."""
    today = now.astimezone(SHANGHAI).date()
    return datetime.combine(today - timedelta(days=365), datetime.min.time(), SHANGHAI)


def generate(dsn: str, *, complaints: int, n_units: int, budget_s: float, now: datetime) -> dict[str, Any]:
    """Facts chunk by chunk until `complaints` or until the chunk that passes `budget_s`."""
    u, t0 = units(n_units), year_start(now)
    params: dict[str, Any] = {**u, "cats": CATEGORIES, "t0": t0, "now": now,
                              "span_s": int((now - t0).total_seconds())}  # fmt: skip
    started, done = time.monotonic(), 0
    with psycopg.connect(dsn) as conn:
        conn.execute(f"TRUNCATE {', '.join(READ_MODEL_TABLES)}")
        conn.execute(sql.UNITS, params)
        conn.commit()
        while done < complaints and time.monotonic() - started < budget_s:
            hi = min(done + CHUNK, complaints)
            chunk = {**params, "lo": done, "hi": hi}
            for statement in (sql.BASE, sql.FACTS, sql.COMPLAINTS, sql.ASSIGNMENTS, sql.OBLIGATIONS,
                              sql.VERDICTS, sql.ESCALATIONS):  # fmt: skip
                conn.execute(statement, chunk)
            conn.commit()
            done = hi
    facts_s = time.monotonic() - started
    rollup_s = asyncio.run(_rollup(dsn))
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ANALYZE")  # as autovacuum would after a load this size
        rows = {t: _count(conn, t) for t in READ_MODEL_TABLES}
    return {"complaints": done, "facts_s": round(facts_s, 1), "rollup_s": round(rollup_s, 1), "rows": rows,
            "first_day": t0.date().isoformat()}  # fmt: skip


BUCKETS = """
SELECT DISTINCT unit_id, category, day FROM (
  SELECT unit_id, category, start_day AS day FROM fb_rm_assignment
  UNION ALL SELECT unit_id, category, counted_day FROM fb_rm_obligation
  UNION ALL SELECT unit_id, category, done_day FROM fb_rm_obligation
  UNION ALL SELECT unit_id, category, day FROM fb_rm_verdict
  UNION ALL SELECT unit_id, category, day FROM fb_rm_escalation) b WHERE day IS NOT NULL
"""  # every bucket that holds a complaint's fact (readmodel_counting's sources)


async def _rollup(dsn: str) -> float:
    """Every bucket that holds a fact, one unit at a time, through the read model's rollup."""
    url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    engine = create_engine(url, pool_size=1)
    started = time.monotonic()
    try:
        by_unit: dict[str, set[tuple[str, str, date]]] = {}
        async with session_factory(engine)() as session:
            for unit, category, day in await session.execute(text(BUCKETS)):
                by_unit.setdefault(unit, set()).add((unit, category, day))
        for unit, buckets in by_unit.items():
            async with session_factory(engine)() as session:
                await readmodel_rollup.recount(session, buckets)
                await readmodel_times.recompute(session, [unit])
                await session.commit()
    finally:
        await engine.dispose()
    return time.monotonic() - started


def _count(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def month_before(now: datetime) -> date:
    """A day in the last whole month (the period the monthly figures are asked for)."""
    first_of_this = now.astimezone(SHANGHAI).date().replace(day=1)
    return (first_of_this - timedelta(days=1)).replace(day=15)


def utcnow() -> datetime:
    return datetime.now(UTC)
