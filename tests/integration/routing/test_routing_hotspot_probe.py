"""The candidate probe reads, of each posting list, only its latest POSTING_LIMIT entries
inside the window, on the real PostgreSQL query (routing.hotspots.lsh_index)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from huiyin.db import create_engine, session_factory
from routing.hotspots import lsh_index
from routing.hotspots.lsh_keys import CANDIDATE_LIMIT, POSTING_LIMIT, Box
from tests.support.infra import Infra

pytestmark = pytest.mark.integration
LAT, LON = 30.25, 120.17
K, K2 = 1001, 1002


def store(dsn: str, now: datetime) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Ten older sightings under keys K and K2, then POSTING_LIMIT newer ones under K only,
    all at one place; returns (older, newer), each oldest first."""
    older = [uuid.uuid4() for _ in range(10)]
    newer = [uuid.uuid4() for _ in range(POSTING_LIMIT)]
    with psycopg.connect(dsn) as conn:
        for i, cid in enumerate([*older, *newer]):
            at = now - timedelta(hours=100 - i)
            conn.execute(
                "INSERT INTO hotspot_sightings (complaint_id, category, lat, lon, at, terms, hashvalues)"
                " VALUES (%s, 'noise', %s, %s, %s, '{}', decode(repeat('00', 512), 'hex'))",
                (cid, LAT, LON, at),
            )
            for key in (K, K2) if cid in older else (K,):
                conn.execute(
                    "INSERT INTO hotspot_lsh_keys (key, complaint_id, at) VALUES (%s, %s, %s)", (key, cid, at)
                )
    return older, newer


async def test_a_probe_reads_only_the_latest_entries_of_each_posting_list(infra: Infra) -> None:
    url = infra.create_database("routing")
    now = datetime.now(UTC)
    older, newer = store(url.replace("postgresql+asyncpg://", "postgresql://"), now)
    box = Box((LAT - 0.01, LAT + 0.01), (LON - 0.01, LON + 0.01), (now - timedelta(days=14), now))
    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            both = await lsh_index.candidates(session, [lsh_index.Probe(uuid.uuid4(), [K, K2], box)])
            only_k2 = await lsh_index.candidates(session, [lsh_index.Probe(uuid.uuid4(), [K2], box)])
    finally:
        await engine.dispose()
    # The older ten share both keys, but K's list is read only as far as its latest
    # POSTING_LIMIT (all newer): through K2 alone they share one key, like the newer ones,
    # and the latest win the tie.
    assert {r.shared for r in both} == {1}
    assert {r.complaint_id for r in both} == set(newer[-CANDIDATE_LIMIT:])
    assert {r.complaint_id for r in only_k2} == set(older)
