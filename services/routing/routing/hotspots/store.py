"""Detection's reads and writes of sightings and groups, set-based: one insert per table,
one read of the touched groups' members (the band keys are in lsh_index). Nothing here
commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import DateTime, Float, Integer, LargeBinary, Text, Uuid

from huiyin import jsonutil
from routing.hotspots.similarity import PACKED_SIZE
from routing.hotspots.tables import HotspotRow, HotspotSightingRow
from routing.sla.tables import cols

S, G = cols(HotspotSightingRow), cols(HotspotRow)


async def lock_categories(session: AsyncSession, categories: Iterable[str]) -> None:
    """Serialise detection per category across replicas until this transaction ends. Taken
    one by one in sorted order, so two batches never wait for each other in a cycle."""
    for category in sorted(set(categories)):
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"hotspots:{category}"}
        )


async def known(session: AsyncSession, ids: Sequence[UUID]) -> set[UUID]:
    rows = await session.execute(select(S.complaint_id).where(S.complaint_id.in_(ids)))
    return set(rows.scalars())


# One statement text whatever the batch size (asyncpg prepares it once), no per-row bind
# parameters for SQLAlchemy to compile. The terms travel as one JSON text per row, the hash
# values packed (similarity.TextPrint.packed).
_INSERT_SIGHTINGS = text(
    """
    INSERT INTO hotspot_sightings (complaint_id, tracking_code, category, lat, lon, at, citizen_ref,
                                   unit_id, district_id, group_id, joined_at, terms, hashvalues)
    SELECT v.id, v.code, v.cat, v.lat, v.lon, v.at, v.ref, v.unit, v.district, v.grp, v.joined,
           ARRAY(SELECT jsonb_array_elements_text(v.terms::jsonb)), v.hv
    FROM unnest(:ids, :codes, :cats, :lats, :lons, :ats, :refs, :units, :districts, :groups,
                :joined, :terms, :hv)
         AS v(id, code, cat, lat, lon, at, ref, unit, district, grp, joined, terms, hv)
    ON CONFLICT DO NOTHING
    """
).bindparams(
    *(bindparam(n, type_=ARRAY(Uuid())) for n in ("ids", "groups")),
    *(bindparam(n, type_=ARRAY(Text())) for n in ("codes", "cats", "refs", "units", "districts", "terms")),
    *(bindparam(n, type_=ARRAY(Float())) for n in ("lats", "lons")),
    *(bindparam(n, type_=ARRAY(DateTime(timezone=True))) for n in ("ats", "joined")),
    bindparam("hv", type_=ARRAY(LargeBinary())),
)


async def insert_sightings(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    if any(len(r["hashvalues"]) != PACKED_SIZE for r in rows):
        raise ValueError(f"a sighting's fingerprint must be packed in {PACKED_SIZE} bytes")
    picks = {
        "ids": "complaint_id", "codes": "tracking_code", "cats": "category", "lats": "lat", "lons": "lon",
        "ats": "at", "refs": "citizen_ref", "units": "unit_id", "districts": "district_id",
        "groups": "group_id", "joined": "joined_at",
    }  # fmt: skip
    params: dict[str, Any] = {name: [r[column] for r in rows] for name, column in picks.items()}
    params["terms"] = [jsonutil.dumps_str(list(r["terms"])) for r in rows]
    params["hv"] = [r["hashvalues"] for r in rows]
    await session.execute(_INSERT_SIGHTINGS, params)


_REGROUP = text(
    """
    UPDATE hotspot_sightings s SET group_id = v.group_id, joined_at = :at
      FROM unnest(:ids, :groups) AS v(complaint_id, group_id)
     WHERE s.complaint_id = v.complaint_id AND s.group_id IS NULL
    """
).bindparams(bindparam("ids", type_=ARRAY(Uuid())), bindparam("groups", type_=ARRAY(Uuid())))


async def regroup(session: AsyncSession, moves: Mapping[UUID, UUID], *, at: datetime) -> None:
    """Earlier, ungrouped sightings that a new complaint pulled into a group: one statement."""
    if moves:
        await session.execute(_REGROUP, {"ids": list(moves), "groups": list(moves.values()), "at": at})


async def lock_groups(session: AsyncSession, ids: Iterable[UUID]) -> dict[UUID, HotspotRow]:
    """The touched groups, locked (a concurrent adopt or solve waits, or we wait for it)."""
    ids = sorted(set(ids), key=str)
    if not ids:
        return {}
    rows = await session.execute(select(HotspotRow).where(G.id.in_(ids)).order_by(G.id).with_for_update())
    return {row.id: row for row in rows.scalars()}


async def members(session: AsyncSession, group_ids: Iterable[UUID]) -> list[Any]:
    """Every member of the groups, oldest first (cost grows with a hot spot's size, never
    with the number of complaints stored)."""
    ids = list(set(group_ids))
    if not ids:
        return []
    stmt = (
        select(S.group_id, S.complaint_id, S.citizen_ref, S.unit_id, S.district_id, S.at, S.terms)
        .where(S.group_id.in_(ids))
        .order_by(S.at, S.complaint_id)
    )
    return list((await session.execute(stmt)).all())


# A new group's columns (joining.apply_joins); those a group still forming has not set
# (detected_at) go in as NULL. One statement text for any number of groups, as the sightings':
# a multi-row VALUES was compiled anew for every batch (13 % of detection's samples at
# 100,000 stored).
_GROUP_COLUMNS = (
    "id", "category", "unit_id", "district_id", "status", "complaint_count", "citizen_count",
    "keywords", "first_at", "last_at", "detected_at", "version",
)  # fmt: skip
_INSERT_GROUPS = text(
    """
    INSERT INTO hotspot_groups (id, category, unit_id, district_id, status, complaint_count, citizen_count,
                                keywords, first_at, last_at, detected_at, version)
    SELECT v.id, v.category, v.unit_id, v.district_id, v.status, v.complaint_count, v.citizen_count,
           ARRAY(SELECT jsonb_array_elements_text(v.keywords::jsonb)), v.first_at, v.last_at,
           v.detected_at, v.version
    FROM unnest(:id, :category, :unit_id, :district_id, :status, :complaint_count, :citizen_count,
                :keywords, :first_at, :last_at, :detected_at, :version)
         AS v(id, category, unit_id, district_id, status, complaint_count, citizen_count,
              keywords, first_at, last_at, detected_at, version)
    """
).bindparams(
    bindparam("id", type_=ARRAY(Uuid())),
    *(
        bindparam(n, type_=ARRAY(Text()))
        for n in ("category", "unit_id", "district_id", "status", "keywords")
    ),
    *(bindparam(n, type_=ARRAY(Integer())) for n in ("complaint_count", "citizen_count", "version")),
    *(bindparam(n, type_=ARRAY(DateTime(timezone=True))) for n in ("first_at", "last_at", "detected_at")),
)


async def insert_groups(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """New groups (`_GROUP_COLUMNS`; a group that reached the threshold in this batch has
    more of them set than one still forming)."""
    if not rows:
        return
    if unknown := set().union(*rows) - set(_GROUP_COLUMNS):
        raise ValueError(f"not columns a new group is inserted with: {sorted(unknown)}")
    params: dict[str, list[Any]] = {c: [row.get(c) for row in rows] for c in _GROUP_COLUMNS}
    params["keywords"] = [jsonutil.dumps_str(list(k)) for k in params["keywords"]]
    await session.execute(_INSERT_GROUPS, params)


# Anonymous complaints without contact count as their own citizen (grouping.citizen_count).
_RECOUNT = text(
    """
    UPDATE hotspot_groups g
       SET complaint_count = s.n, citizen_count = s.citizens, first_at = s.first_at, last_at = s.last_at
      FROM (SELECT group_id, count(*) AS n,
                   count(DISTINCT coalesce(citizen_ref, complaint_id::text)) AS citizens,
                   min(at) AS first_at, max(at) AS last_at
              FROM hotspot_sightings WHERE group_id = ANY(:ids) GROUP BY group_id) AS s
     WHERE g.id = s.group_id
    """
).bindparams(bindparam("ids", type_=ARRAY(Uuid())))


async def recount_groups(session: AsyncSession, group_ids: Iterable[UUID]) -> None:
    """The groups' counts and time spans, aggregated from their sightings (index range scans)."""
    if ids := sorted(set(group_ids), key=str):
        await session.execute(_RECOUNT, {"ids": ids})


async def update_groups(session: AsyncSession, values: Mapping[UUID, dict[str, Any]]) -> None:
    """Existing groups' new values by id: one statement per set of columns (a group that
    reached the threshold in this batch has more of them set than one still forming), built
    once and executed for every group of the set in one round trip (executemany; the
    server still updates row by row)."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for group_id, row in values.items():
        by_columns.setdefault(tuple(sorted(row)), []).append({"b_id": group_id, **row})
    for columns, rows in by_columns.items():
        stmt = update(G.id.table).where(G.id == bindparam("b_id")).values({c: bindparam(c) for c in columns})
        await session.execute(stmt, rows)
