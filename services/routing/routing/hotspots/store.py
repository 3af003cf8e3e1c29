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
from sqlalchemy.types import Uuid

from huiyin.sqlsets import column_params, unnest_insert
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


# One statement text per table whatever the batch size (huiyin.sqlsets: prepared once by
# asyncpg, nothing for SQLAlchemy to compile per batch); the hash values packed
# (similarity.TextPrint.packed).
SIGHTING_COLUMNS = [
    ("complaint_id", "uuid"), ("tracking_code", "text"), ("category", "text"), ("lat", "float8"),
    ("lon", "float8"), ("at", "timestamptz"), ("citizen_ref", "text"), ("unit_id", "text"),
    ("district_id", "text"), ("group_id", "uuid"), ("joined_at", "timestamptz"), ("terms", "text[]"),
    ("hashvalues", "bytea"),
]  # fmt: skip
_INSERT_SIGHTINGS = text(
    unnest_insert("hotspot_sightings", SIGHTING_COLUMNS, suffix="ON CONFLICT DO NOTHING")
)


async def insert_sightings(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    if any(len(r["hashvalues"]) != PACKED_SIZE for r in rows):
        raise ValueError(f"a sighting's fingerprint must be packed in {PACKED_SIZE} bytes")
    await session.execute(_INSERT_SIGHTINGS, column_params(SIGHTING_COLUMNS, rows))


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
# (detected_at) go in as NULL. A multi-row VALUES was compiled anew for every batch (13 % of
# detection's samples at 100,000 stored).
GROUP_COLUMNS = [
    ("id", "uuid"), ("category", "text"), ("unit_id", "text"), ("district_id", "text"), ("status", "text"),
    ("complaint_count", "int4"), ("citizen_count", "int4"), ("keywords", "text[]"), ("first_at", "timestamptz"),
    ("last_at", "timestamptz"), ("detected_at", "timestamptz"), ("version", "int4"),
]  # fmt: skip
_GROUP_NAMES = [name for name, _ in GROUP_COLUMNS]
_INSERT_GROUPS = text(unnest_insert("hotspot_groups", GROUP_COLUMNS))


async def insert_groups(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """New groups (`GROUP_COLUMNS`; a group that reached the threshold in this batch has
    more of them set than one still forming)."""
    if not rows:
        return
    if unknown := set().union(*rows) - set(_GROUP_NAMES):
        raise ValueError(f"not columns a new group is inserted with: {sorted(unknown)}")
    await session.execute(
        _INSERT_GROUPS, column_params(GROUP_COLUMNS, [{n: row.get(n) for n in _GROUP_NAMES} for row in rows])
    )


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
