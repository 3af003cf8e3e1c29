"""Detection's writes of a batch's groups (routing.hotspots.store): sightings pulled into
groups, groups' new values with differing columns, announced groups' counts re-aggregated,
new groups forming and detected in one insert; on the real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from huiyin.db import create_engine, session_factory
from routing.hotspots import store
from tests.support.infra import Infra

pytestmark = pytest.mark.integration
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _sighting(
    conn: psycopg.Connection, at: datetime, citizen: str | None, group: uuid.UUID | None
) -> uuid.UUID:
    cid = uuid.uuid4()
    conn.execute(
        "INSERT INTO hotspot_sightings (complaint_id, category, lat, lon, at, citizen_ref, group_id, terms, hashvalues)"
        " VALUES (%s, 'noise', 30.25, 120.17, %s, %s, %s, '{}', decode(repeat('00', 512), 'hex'))",
        (cid, at, citizen, group),
    )
    return cid


def _group(conn: psycopg.Connection, status: str) -> uuid.UUID:
    gid = uuid.uuid4()
    conn.execute(
        "INSERT INTO hotspot_groups (id, category, unit_id, district_id, status, complaint_count, citizen_count,"
        " keywords, first_at, last_at, version) VALUES (%s, 'noise', 'u-old', 'd-old', %s, 1, 1, '{old}', %s, %s, 1)",
        (gid, status, T0, T0),
    )
    return gid


def _groups(url: str, columns: str) -> dict[uuid.UUID, tuple[object, ...]]:
    """id -> the given columns of every group."""
    with psycopg.connect(url.replace("postgresql+asyncpg://", "postgresql://")) as conn:
        return {row[0]: row[1:] for row in conn.execute(f"SELECT id, {columns} FROM hotspot_groups")}


async def test_a_batch_of_group_writes(infra: Infra) -> None:
    url = infra.create_database("routing")
    with psycopg.connect(url.replace("postgresql+asyncpg://", "postgresql://"), autocommit=True) as conn:
        forming, reaching, announced_a, announced_b, untouched = (
            _group(conn, s) for s in ("forming", "forming", "detected", "detected", "detected")
        )
        loose_1 = _sighting(conn, T0, "c1", None)
        loose_2 = _sighting(conn, T0 + timedelta(minutes=1), "c2", None)
        already = _sighting(conn, T0, "c3", untouched)  # in a group: a move must not take it
        # announced_a: two citizens and two anonymous complaints; announced_b: one citizen twice
        for minutes, citizen in ((0, "a1"), (5, "a2"), (9, None), (7, None), (3, "a1")):
            _sighting(conn, T0 + timedelta(minutes=minutes), citizen, announced_a)
        for minutes in (30, 40):
            _sighting(conn, T0 + timedelta(minutes=minutes), "b1", announced_b)

    engine = create_engine(url, pool_size=1)
    later = T0 + timedelta(hours=1)
    try:
        async with session_factory(engine)() as session, session.begin():
            await store.regroup(session, {loose_1: forming, loose_2: reaching, already: forming}, at=later)
            await store.update_groups(
                session,
                {
                    forming: {"complaint_count": 2, "citizen_count": 2, "last_at": later},
                    reaching: {
                        "status": "detected",
                        "complaint_count": 5,
                        "citizen_count": 3,
                        "keywords": ["烧烤", "油烟"],
                        "detected_at": later,
                        "version": 2,
                        "unit_id": "u-new",
                        "district_id": None,
                    },
                },
            )
            await store.recount_groups(session, [announced_a, announced_b, announced_a])
            await store.update_groups(session, {})
            await store.recount_groups(session, [])
    finally:
        await engine.dispose()

    groups = _groups(
        url,
        "status, complaint_count, citizen_count, keywords, first_at, last_at, detected_at, version, unit_id, district_id",
    )
    with psycopg.connect(url.replace("postgresql+asyncpg://", "postgresql://")) as conn:
        sightings = dict(conn.execute("SELECT complaint_id, group_id FROM hotspot_sightings").fetchall())
        joined = dict(conn.execute("SELECT complaint_id, joined_at FROM hotspot_sightings").fetchall())

    assert (sightings[loose_1], sightings[loose_2], sightings[already]) == (forming, reaching, untouched)
    assert joined[loose_1] == joined[loose_2] == later and joined[already] is None
    # Only the columns given change, per group.
    assert groups[forming] == ("forming", 2, 2, ["old"], T0, later, None, 1, "u-old", "d-old")
    assert groups[reaching] == ("detected", 5, 3, ["烧烤", "油烟"], T0, T0, later, 2, "u-new", None)
    # Recounted from the sightings: anonymous complaints count as their own citizen.
    assert groups[announced_a] == (
        "detected",
        5,
        4,
        ["old"],
        T0,
        T0 + timedelta(minutes=9),
        None,
        1,
        "u-old",
        "d-old",
    )
    assert groups[announced_b][:3] == ("detected", 2, 1)
    assert groups[announced_b][4:6] == (T0 + timedelta(minutes=30), T0 + timedelta(minutes=40))
    assert groups[untouched] == ("detected", 1, 1, ["old"], T0, T0, None, 1, "u-old", "d-old")


async def test_new_groups_forming_and_detected_in_one_insert(infra: Infra) -> None:
    url = infra.create_database("routing")
    forming, detected = uuid.uuid4(), uuid.uuid4()
    later = T0 + timedelta(hours=1)
    common = {"category": "noise", "first_at": T0, "last_at": later, "version": 1}
    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session, session.begin():
            await store.insert_groups(
                session,
                [
                    {**common, "id": forming, "unit_id": "u1", "district_id": "d1", "keywords": [],
                     "status": "forming", "complaint_count": 2, "citizen_count": 1},
                    {**common, "id": detected, "unit_id": "u2", "district_id": None, "keywords": ["烧烤", "油烟"],
                     "status": "detected", "complaint_count": 5, "citizen_count": 3, "detected_at": later,
                     "version": 2},
                ],
            )  # fmt: skip
            await store.insert_groups(session, [])
            with pytest.raises(ValueError, match="owner_unit_id"):
                await store.insert_groups(session, [{**common, "id": uuid.uuid4(), "owner_unit_id": "u1"}])
    finally:
        await engine.dispose()

    groups = _groups(
        url,
        "category, unit_id, district_id, status, complaint_count, citizen_count, keywords, first_at, last_at,"
        " detected_at, version, owner_unit_id",
    )
    assert groups == {
        forming: ("noise", "u1", "d1", "forming", 2, 1, [], T0, later, None, 1, None),
        detected: ("noise", "u2", None, "detected", 5, 3, ["烧烤", "油烟"], T0, later, later, 2, None),
    }
