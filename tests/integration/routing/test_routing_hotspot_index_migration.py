"""Migrations of hot-spot detection's tables. 0005: the LSH keys of the sightings inside the
window are recomputed from their stored fingerprints (placed in category and cell), older
ones are not, and the old band-key table is gone. 0006: the keys' order. 0008: fingerprints
packed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from alembic import command

from huiyin.migrate import alembic_config, upgrade
from routing.hotspots.batch import own_keys
from routing.hotspots.matching import Sighting
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import TextPrint, band_keys, fingerprint
from tests.support.infra import Infra

TEXT = "小区东门外的烧烤摊每天半夜还在营业，油烟很大，噪音吵得睡不着"


def test_keys_of_recent_sightings_are_rebuilt(infra: Infra) -> None:
    url = infra.create_database("routing", revision="0004")
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    fp = fingerprint(TEXT)
    recent, old = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    with psycopg.connect(dsn) as conn:
        for cid, at in ((recent, now - timedelta(days=1)), (old, now - timedelta(days=30))):
            conn.execute(
                "INSERT INTO hotspot_sightings (complaint_id, category, lat, lon, at, terms, hashvalues)"
                " VALUES (%s, 'noise', 30.25, 120.17, %s, %s, %s)",
                (cid, at, list(fp.terms), list(fp.hashvalues)),
            )
    upgrade("routing", url)
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT key, complaint_id FROM hotspot_lsh_keys").fetchall()
        old_table = conn.execute("SELECT to_regclass('hotspot_band_keys')").fetchone()
    s = Sighting(recent, "noise", 30.25, 120.17, now, None, fp)
    assert sorted(k for k, _ in rows) == sorted(own_keys(s, band_keys(fp), HotspotRules()))
    assert {cid for _, cid in rows} == {recent}
    assert old_table == (None,)


def test_keys_are_ordered_by_key_then_time(infra: Infra) -> None:
    # Migration 0006: the probe's range scan (key, at) newest first; the rows stay.
    url = infra.create_database("routing", revision="0005")
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    cid, at = uuid.uuid4(), datetime.now(UTC)
    with psycopg.connect(dsn) as conn:
        conn.execute("INSERT INTO hotspot_lsh_keys (key, complaint_id, at) VALUES (7, %s, %s)", (cid, at))
    upgrade("routing", url)
    with psycopg.connect(dsn) as conn:
        pk = conn.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'hotspot_lsh_keys'::regclass AND i.indisprimary"
            " ORDER BY array_position(i.indkey, a.attnum)"
        ).fetchall()
        rows = conn.execute("SELECT key, complaint_id, at FROM hotspot_lsh_keys").fetchall()
    assert [r[0] for r in pk] == ["key", "at", "complaint_id"]
    assert rows == [(7, cid, at)]


def test_fingerprints_are_packed_and_unpacked(infra: Infra) -> None:
    # Migration 0008: bigint[] -> 512 bytes in network order, value for value, and back.
    url = infra.create_database("routing", revision="0007")
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    # Low values and values with the top bit set (the empty text's 2**32 - 1 among them).
    fp = TextPrint.of(fingerprint(TEXT).terms, (*range(64), *(2**32 - 1 - i for i in range(64))))
    cid = uuid.uuid4()
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "INSERT INTO hotspot_sightings (complaint_id, category, lat, lon, at, terms, hashvalues)"
            " VALUES (%s, 'noise', 30.25, 120.17, now(), %s, %s)",
            (cid, list(fp.terms), list(fp.hashvalues)),
        )
    upgrade("routing", url)
    with psycopg.connect(dsn) as conn:
        (packed,) = conn.execute("SELECT hashvalues FROM hotspot_sightings").fetchone() or (None,)
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(
                "INSERT INTO hotspot_sightings (complaint_id, category, lat, lon, at, terms, hashvalues)"
                " VALUES (%s, 'noise', 30.25, 120.17, now(), '{}', %s)",
                (uuid.uuid4(), b"\x00" * 4),
            )
    assert bytes(packed) == fp.packed()
    assert TextPrint.unpack(fp.terms, bytes(packed)).hashvalues == fp.hashvalues
    command.downgrade(alembic_config("routing", url), "0007")
    with psycopg.connect(dsn) as conn:
        (values,) = conn.execute("SELECT hashvalues FROM hotspot_sightings").fetchone() or (None,)
    assert tuple(values) == fp.hashvalues
