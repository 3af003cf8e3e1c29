"""The LSH key index of recent sightings (`hotspot_lsh_keys`, keys placed by lsh_keys): one
probe per batch for every new complaint, one insert of the batch's keys, and pruning of
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
from sqlalchemy.types import BigInteger, DateTime, Float, Integer, Uuid

from routing.hotspots.lsh_keys import CANDIDATE_LIMIT, POSTING_LIMIT, Box
from routing.hotspots.tables import HotspotLshKeyRow
from routing.sla.tables import cols

K = cols(HotspotLshKeyRow)


@dataclass(frozen=True)
class Probe:
    """One new complaint's probe keys (every cell its box overlaps) and its box."""

    complaint_id: UUID
    keys: Sequence[int]
    box: Box


# Per new complaint: the stored sightings sharing a key within the window (per key, one
# index range scan of its latest POSTING_LIMIT entries: LATERAL with a LIMIT, so the planner
# cannot swap the probes for hashing the whole key table, a cost that grows with everything
# stored; the keys already carry category and place), counted per candidate; then the box
# and the group's status on the sighting; then the CANDIDATE_LIMIT that share the most keys
# (latest first on a tie), and only theirs are read in full. Members of solved hot spots are
# left out: a solved matter that comes back starts a new hot spot.
_CANDIDATES = text(
    """
    WITH b AS (
      SELECT * FROM unnest(:bcids, :lat0, :lat1, :lon0, :lon1, :t0, :t1)
             AS b(cid, lat0, lat1, lon0, lon1, t0, t1)
    ), hits AS (
      SELECT q.cid, k.complaint_id, count(*) AS shared
      FROM unnest(:cids, :keys) AS q(cid, key)
      JOIN b ON b.cid = q.cid
      CROSS JOIN LATERAL (
        SELECT k.complaint_id FROM hotspot_lsh_keys k
        WHERE k.key = q.key AND k.at BETWEEN b.t0 AND b.t1
        ORDER BY k.at DESC LIMIT :per_key
      ) k
      WHERE k.complaint_id <> q.cid
      GROUP BY q.cid, k.complaint_id
    ), ranked AS (
      SELECT h.cid, h.shared, s.complaint_id,
             row_number() OVER (PARTITION BY h.cid ORDER BY h.shared DESC, s.at DESC, s.complaint_id) AS rank
      FROM hits h
      JOIN b ON b.cid = h.cid
      JOIN hotspot_sightings s ON s.complaint_id = h.complaint_id
      LEFT JOIN hotspot_groups g ON g.id = s.group_id
      WHERE s.lat BETWEEN b.lat0 AND b.lat1 AND s.lon BETWEEN b.lon0 AND b.lon1
        AND g.status IS DISTINCT FROM 'solved'
    )
    SELECT r.cid AS probe_id, r.shared, s.complaint_id, s.category, s.lat, s.lon, s.at,
           s.citizen_ref, s.group_id, s.terms, s.hashvalues
    FROM ranked r JOIN hotspot_sightings s ON s.complaint_id = r.complaint_id
    WHERE r.rank <= :limit
    """
).bindparams(
    bindparam("cids", type_=ARRAY(Uuid())),
    bindparam("keys", type_=ARRAY(BigInteger())),
    bindparam("bcids", type_=ARRAY(Uuid())),
    *(bindparam(n, type_=ARRAY(Float())) for n in ("lat0", "lat1", "lon0", "lon1")),
    *(bindparam(n, type_=ARRAY(DateTime(timezone=True))) for n in ("t0", "t1")),
    bindparam("limit", type_=Integer()),
    bindparam("per_key", type_=Integer()),
)


async def candidates(session: AsyncSession, probes: Sequence[Probe]) -> list[Any]:
    probes = [p for p in probes if p.keys]
    if not probes:
        return []
    params = {
        "cids": [p.complaint_id for p in probes for _ in p.keys],
        "keys": [k for p in probes for k in p.keys],
        "bcids": [p.complaint_id for p in probes],
        "lat0": [p.box.lat[0] for p in probes],
        "lat1": [p.box.lat[1] for p in probes],
        "lon0": [p.box.lon[0] for p in probes],
        "lon1": [p.box.lon[1] for p in probes],
        "t0": [p.box.at[0] for p in probes],
        "t1": [p.box.at[1] for p in probes],
        "limit": CANDIDATE_LIMIT,
        "per_key": POSTING_LIMIT,
    }
    return list((await session.execute(_CANDIDATES, params)).all())


# One statement per batch whatever its size: arrays, not one bind parameter per key.
_INSERT_KEYS = text(
    """
    INSERT INTO hotspot_lsh_keys (key, complaint_id, at)
    SELECT * FROM unnest(:keys, :cids, :ats)
    ON CONFLICT DO NOTHING
    """
).bindparams(
    bindparam("keys", type_=ARRAY(BigInteger())),
    bindparam("cids", type_=ARRAY(Uuid())),
    bindparam("ats", type_=ARRAY(DateTime(timezone=True))),
)


async def insert_keys(session: AsyncSession, keys: dict[UUID, tuple[Sequence[int], datetime]]) -> None:
    """Each new sighting's stored keys (lsh_keys.stored_keys), with its time."""
    rows = [(k, cid, at) for cid, (ks, at) in keys.items() for k in ks]
    if rows:
        keys_, cids, ats = (list(c) for c in zip(*rows, strict=True))
        await session.execute(_INSERT_KEYS, {"keys": keys_, "cids": cids, "ats": ats})


async def prune_band_keys(session: AsyncSession, *, before: datetime) -> int | None:
    """Drop keys older than the window (no probe can reach them); None when another replica
    is pruning right now."""
    got = await session.execute(
        text("SELECT pg_try_advisory_xact_lock(hashtextextended('hotspots:prune', 0))")
    )
    if not got.scalar():
        return None
    result = await session.execute(delete(HotspotLshKeyRow).where(K.at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
