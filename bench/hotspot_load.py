"""Sightings already inside the window, written straight into routing's hot-spot tables in
the shape detection writes them (`routing.hotspots.detect`): a fingerprint per text, the
text's LSH keys for its place, no group. Texts come from a pool fingerprinted once (the
expensive part); the rows are built on the server from the pool with set-based INSERTs."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

import psycopg

from bench.hotspot_texts import city_points, drafts
from routing.hotspots.lsh_keys import stored_keys
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import band_keys, fingerprint

CHUNK = 50_000
TABLES = ("hotspot_lsh_keys", "hotspot_sightings", "hotspot_groups")

_POOL = "CREATE TEMP TABLE bench_pool (i int PRIMARY KEY, category text, terms text[], hv bytea)"
_SIGHTINGS = """
INSERT INTO hotspot_sightings (complaint_id, category, lat, lon, at, citizen_ref, terms, hashvalues)
SELECT x.id, p.category, x.lat, x.lon, x.at, x.ref, p.terms, p.hv
  FROM unnest(%(ids)s::uuid[], %(pool)s::int[], %(lat)s::float8[], %(lon)s::float8[],
              %(at)s::timestamptz[], %(refs)s::text[]) AS x(id, i, lat, lon, at, ref)
  JOIN bench_pool p ON p.i = x.i
"""
_KEYS = """
INSERT INTO hotspot_lsh_keys (key, complaint_id, at)
SELECT * FROM unnest(%(keys)s::bigint[], %(ids)s::uuid[], %(at)s::timestamptz[])
"""


def empty(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {', '.join(TABLES)}")


def load(
    dsn: str, *, stored: int, now: datetime, rules: HotspotRules, pool: int, seed: int = 13
) -> dict[str, float]:
    """`stored` sightings spread uniformly over the window before `now` and over the city."""
    rng = random.Random(seed)
    texts = drafts(pool, rng)
    prints = [fingerprint(d.text) for d in texts]
    keyed = [i for i, p in enumerate(prints) if p.terms]  # a text without content words is never stored
    keys_of = {i: band_keys(prints[i]) for i in keyed}
    points = city_points(stored, rng) if stored else []
    span = rules.window.total_seconds() - 120
    with psycopg.connect(dsn) as conn:
        conn.execute(_POOL)
        with conn.cursor().copy("COPY bench_pool (i, category, terms, hv) FROM STDIN") as copy:
            for i in keyed:
                copy.write_row((i, texts[i].category, list(prints[i].terms), prints[i].packed()))
        for start in range(0, stored, CHUNK):
            rows = []
            for lat, lon in points[start : start + CHUNK]:
                i = rng.choice(keyed)
                at = now - timedelta(seconds=60 + rng.random() * span)
                ref = None if rng.random() < 0.3 else f"bench-{rng.randrange(stored // 2 + 1)}"
                rows.append((uuid.uuid4(), i, lat, lon, at, ref))
            ids, pool_ix, lats, lons, ats, refs = (list(c) for c in zip(*rows, strict=True))
            conn.execute(_SIGHTINGS, dict(ids=ids, pool=pool_ix, lat=lats, lon=lons, at=ats, refs=refs))
            flat: dict[str, list] = {"keys": [], "ids": [], "at": []}
            for cid, i, lat, lon, at, _ in rows:
                keys = stored_keys(texts[i].category, lat, lon, keys_of[i], rules)
                flat["keys"] += keys
                flat["ids"] += [cid] * len(keys)
                flat["at"] += [at] * len(keys)
            conn.execute(_KEYS, flat)
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        for table in TABLES[:2]:
            conn.execute(f"ANALYZE {table}")
        counted = conn.execute(f"SELECT count(*) FROM {TABLES[0]}").fetchone()
    return {"sightings": stored, "key_rows": int(counted[0]) if counted else 0, "pool_texts": len(keyed)}
