"""The band-key index of recent sightings (LSH over the text fingerprints): one probe per
batch for every key of every new complaint, one insert of the batch's keys, and pruning of
keys older than the window. Nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, delete, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import BigInteger, DateTime, Float, Text, Uuid

from routing.hotspots.tables import HotspotBandKeyRow
from routing.sla.tables import cols

B = cols(HotspotBandKeyRow)


@dataclass(frozen=True)
class Probe:
    """One band key of one new complaint, with the box and window its candidates lie in."""

    complaint_id: UUID
    band_key: int
    category: str
    lat: tuple[float, float]
    lon: tuple[float, float]
    at: tuple[datetime, datetime]


# Every probe row is an index probe on (band_key, category, at); the box check and the join
# to the sighting follow. Members of solved hot spots are left out: a solved matter that
# comes back starts a new hot spot.
_CANDIDATES = text(
    """
    SELECT DISTINCT q.cid AS probe_id, s.complaint_id, s.category, s.lat, s.lon, s.at,
           s.citizen_ref, s.group_id, s.terms, s.hashvalues
    FROM unnest(:cids, :keys, :cats, :lat0, :lat1, :lon0, :lon1, :t0, :t1)
         AS q(cid, band_key, category, lat0, lat1, lon0, lon1, t0, t1)
    JOIN hotspot_band_keys b
      ON b.band_key = q.band_key AND b.category = q.category AND b.at BETWEEN q.t0 AND q.t1
    JOIN hotspot_sightings s ON s.complaint_id = b.complaint_id
    LEFT JOIN hotspot_groups g ON g.id = s.group_id
    WHERE s.lat BETWEEN q.lat0 AND q.lat1 AND s.lon BETWEEN q.lon0 AND q.lon1
      AND s.complaint_id <> q.cid AND g.status IS DISTINCT FROM 'solved'
    """
).bindparams(
    bindparam("cids", type_=ARRAY(Uuid())),
    bindparam("keys", type_=ARRAY(BigInteger())),
    bindparam("cats", type_=ARRAY(Text())),
    *(bindparam(n, type_=ARRAY(Float())) for n in ("lat0", "lat1", "lon0", "lon1")),
    *(bindparam(n, type_=ARRAY(DateTime(timezone=True))) for n in ("t0", "t1")),
)


async def candidates(session: AsyncSession, probes: Sequence[Probe]) -> list[Any]:
    if not probes:
        return []
    params = {
        "cids": [p.complaint_id for p in probes],
        "keys": [p.band_key for p in probes],
        "cats": [p.category for p in probes],
        "lat0": [p.lat[0] for p in probes],
        "lat1": [p.lat[1] for p in probes],
        "lon0": [p.lon[0] for p in probes],
        "lon1": [p.lon[1] for p in probes],
        "t0": [p.at[0] for p in probes],
        "t1": [p.at[1] for p in probes],
    }
    return list((await session.execute(_CANDIDATES, params)).all())


# A batch has dozens of keys per complaint: arrays keep it one statement under the driver's
# limit on bind parameters.
_INSERT_KEYS = text(
    """
    INSERT INTO hotspot_band_keys (band_key, complaint_id, category, at)
    SELECT * FROM unnest(:keys, :cids, :cats, :ats)
    ON CONFLICT DO NOTHING
    """
).bindparams(
    bindparam("keys", type_=ARRAY(BigInteger())),
    bindparam("cids", type_=ARRAY(Uuid())),
    bindparam("cats", type_=ARRAY(Text())),
    bindparam("ats", type_=ARRAY(DateTime(timezone=True))),
)


async def insert_band_keys(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(
            _INSERT_KEYS,
            {
                "keys": [r["band_key"] for r in rows],
                "cids": [r["complaint_id"] for r in rows],
                "cats": [r["category"] for r in rows],
                "ats": [r["at"] for r in rows],
            },
        )


async def prune_band_keys(session: AsyncSession, *, before: datetime) -> int | None:
    """Drop band keys older than the window (no candidate look-up can reach them); None when
    another replica is pruning right now."""
    got = await session.execute(
        text("SELECT pg_try_advisory_xact_lock(hashtextextended('hotspots:prune', 0))")
    )
    if not got.scalar():
        return None
    result = await session.execute(delete(HotspotBandKeyRow).where(B.at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
