"""Detection through its real handler, `routing.hotspots.detect.detect_hotspots`, in this
process against routing's database: consumer-sized batches of complaint.submitted events,
one transaction each, as the "routing-hotspots" consumer runs them (not included: reading
from Kafka, decoding, recording the processed event ids). Python CPU is this process's
CPU time over the batches; PostgreSQL CPU that of the postgres process tree (psutil)."""

from __future__ import annotations

import random
import time
import uuid
from datetime import datetime
from typing import Any

import psutil

from bench.hotspot_texts import city_points, drafts
from huiyin.clock import SystemClock
from huiyin.db import UnitOfWork, create_engine, session_factory
from huiyin.events.complaints import ComplaintSubmitted, Location
from huiyin.events.envelope import Event, new_event
from routing.adapters.units_repo import DirectoryCache
from routing.hotspots.detect import detect_hotspots
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import fingerprint


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process and its children (PostgreSQL's backends)."""
    root = psutil.Process(pid)
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:  # a backend that exited between listing and reading
            continue
        total += t.user + t.system
    return total


def events(n: int, now: datetime, seed: int) -> list[Event[ComplaintSubmitted]]:
    rng = random.Random(seed)
    out = []
    for d, (lat, lon) in zip(drafts(n, rng), city_points(n, rng), strict=True):
        data = ComplaintSubmitted(
            complaint_id=uuid.uuid4(),
            tracking_code=f"HYB{rng.randrange(10**8):08d}",
            access_token_sha256="0" * 64,
            category=d.category,
            priority="normal",
            description=d.text,
            location=Location(lat=lat, lon=lon),
            channel="web",
            submitted_at=now,
            anonymous=False,
            citizen_ref=None if rng.random() < 0.3 else f"bench-new-{rng.randrange(n)}",
        )
        out.append(new_event(data, source="bench", time=now))
    return out


async def measure(
    database_url: str, pg_pid: int, *, complaints: int, batch: int, rules: HotspotRules, seed: int = 29
) -> dict[str, Any]:
    """Run `complaints` new complaints (after one warm-up batch) through the handler."""
    fingerprint("热身")  # jieba's dictionary loads once per process: not a per-complaint cost
    engine = create_engine(database_url, pool_size=2)
    sessions, clock, directories = session_factory(engine), SystemClock(), DirectoryCache()
    todo = events(complaints + batch, clock.now(), seed)

    async def run(chunk: list[Event[ComplaintSubmitted]]) -> None:
        async with UnitOfWork(sessions, clock=clock, source="bench") as uow:
            await detect_hotspots(uow, chunk, directories=directories, rules=rules)
            await uow.commit()

    try:
        await run(todo[:batch])  # warm-up: connections, prepared statements, the directory
        wall, cpu, pg = time.perf_counter(), time.process_time(), tree_cpu_s(pg_pid)
        for start in range(batch, len(todo), batch):
            await run(todo[start : start + batch])
        wall, cpu, pg = time.perf_counter() - wall, time.process_time() - cpu, tree_cpu_s(pg_pid) - pg
    finally:
        await engine.dispose()
    return {
        "complaints": complaints,
        "batch": batch,
        "seconds": round(wall, 3),
        "complaints_per_s": round(complaints / wall, 1),
        "python_cpu_ms": round(cpu * 1000 / complaints, 3),
        "postgres_cpu_ms": round(pg * 1000 / complaints, 3),
    }
