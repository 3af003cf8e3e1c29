"""Placed LSH keys (routing.hotspots.lsh_keys): a probe reaches every cell a complaint within
the radius can be stored in, keys never cross categories, candidates are ranked by shared
keys then time, and the fast fingerprint is datasketch's MinHash value for value (stored
fingerprints stay comparable)."""

from __future__ import annotations

import math
import random
import uuid
from datetime import UTC, datetime, timedelta

from datasketch import MinHash

from routing.hotspots.batch import own_keys, probe_of
from routing.hotspots.lsh_keys import box, cell_of, probe_cells, rank_key
from routing.hotspots.matching import Sighting, distance_m
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import BANDS, NUM_PERM, band_keys, fingerprint
from routing.hotspots.text import analyse

T0 = datetime(2025, 4, 1, 12, tzinfo=UTC)
TEXT = "小区东门外的烧烤摊每天半夜还在营业，油烟很大，噪音吵得睡不着"


def at(lat: float, lon: float, category: str = "noise", text: str = TEXT) -> Sighting:
    return Sighting(uuid.uuid4(), category, lat, lon, T0, None, fingerprint(text))


def test_every_point_within_the_radius_lies_in_a_probed_cell() -> None:
    rnd = random.Random(5)
    for rules in (HotspotRules(), HotspotRules(radius_m=120), HotspotRules(radius_m=2_000)):
        for _ in range(1_000):
            lat, lon = rnd.uniform(-80, 80), rnd.uniform(-179, 179)
            bearing, metres = rnd.uniform(0, 2 * math.pi), rules.radius_m * math.sqrt(rnd.random())
            other_lat = lat + metres * math.cos(bearing) / 111_195
            other_lon = lon + metres * math.sin(bearing) / (111_195 * math.cos(math.radians(lat)))
            here, there = at(lat, lon), at(other_lat, other_lon)
            if distance_m(here, there) > rules.radius_m:
                continue
            cells = probe_cells(box(lat, lon, T0, rules), rules)
            assert cell_of(other_lat, other_lon, rules) in cells
            assert len(cells) <= 4


def test_a_nearby_same_text_is_found_and_another_category_is_not() -> None:
    rules = HotspotRules()
    stored, new = at(30.25, 120.17), at(30.253, 120.173)
    keys = band_keys(stored.print)
    probe = probe_of(new, keys, rules)
    assert len(own_keys(stored, keys, rules)) == BANDS
    assert set(own_keys(stored, keys, rules)) <= set(probe.keys)
    other = at(30.25, 120.17, category="theft")
    assert not set(own_keys(other, keys, rules)) & set(probe.keys)
    far = at(30.30, 120.17)  # 5.5 km north
    assert not set(own_keys(far, keys, rules)) & set(probe.keys)


def test_candidates_rank_by_shared_keys_then_latest() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ranked = sorted(
        [(2, T0, a), (5, T0 - timedelta(days=3), b), (2, T0 + timedelta(hours=1), c)],
        key=lambda x: rank_key(*x),
    )
    assert [x[2] for x in ranked] == [b, c, a]


def test_the_fingerprint_is_datasketchs_minhash_value_for_value() -> None:
    permutations = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32").permutations
    for text in (TEXT, "停车场里我的电动车电瓶被人偷了，监控也是坏的", "！！！。。。 请尽快处理"):
        _, shingles = analyse(text)
        reference = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32", permutations=permutations)
        reference.update_batch([s.encode("utf-8") for s in sorted(shingles)])
        assert fingerprint(text).hashvalues == tuple(int(v) for v in reference.hashvalues)
