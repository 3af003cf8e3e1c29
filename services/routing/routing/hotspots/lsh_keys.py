"""Where a sighting's LSH keys live: the band keys mixed with its category and its grid cell,
so a probe only ever meets complaints of the same category near the new one.

The grid's cells are at least 2 × radius wide (in metres, with the probe box's margin), so
the probe box of any complaint (batch.box) overlaps at most 2 × 2 cells: a sighting is
stored under its own cell (one key per band) and a new complaint probes the cells its box
overlaps. The posting list behind a probed key then holds only complaints of the same
category, in that neighbourhood, with that band value: the local density of similar
complaints, never the city's or the history's. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from routing.hotspots.matching import EARTH_RADIUS_M
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import mix

# Of latitude on the sphere matching.distance_m uses; the box is 1% wider, never narrower.
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180
MARGIN = 1.01
# A new complaint is compared with at most this many stored or batch candidates: those
# sharing the most keys (the most similar by estimate), then the latest. It bounds the
# work per complaint where a street is full of similar complaints; on the labelled set it
# never binds (docs/hotspots.md).
CANDIDATE_LIMIT = 48
# Of each posting list a probe reads only the latest this many entries inside the window:
# the probe is then an index scan that stops there, whatever the street's history, and
# the query planner can never trade the probes for a scan of the whole key table.
POSTING_LIMIT = 64


@dataclass(frozen=True)
class Box:
    """The radius around a point as a lat/lon box (a little looser than the circle; the
    distance is checked exactly later) and the window around its time."""

    lat: tuple[float, float]
    lon: tuple[float, float]
    at: tuple[datetime, datetime]

    def holds(self, lat: float, lon: float, at: datetime) -> bool:
        return (
            self.lat[0] <= lat <= self.lat[1]
            and self.lon[0] <= lon <= self.lon[1]
            and self.at[0] <= at <= self.at[1]
        )


def half_lon(lat: float, rules: HotspotRules) -> float:
    return MARGIN * rules.radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))


def box(lat: float, lon: float, at: datetime, rules: HotspotRules) -> Box:
    dlat, dlon = MARGIN * rules.radius_m / METRES_PER_DEGREE, half_lon(lat, rules)
    return Box((lat - dlat, lat + dlat), (lon - dlon, lon + dlon), (at - rules.window, at + rules.window))


def _lat_size(rules: HotspotRules) -> float:
    return 2 * MARGIN * rules.radius_m / METRES_PER_DEGREE


def _lon_size(row: int, rules: HotspotRules) -> float:
    """Wide enough for the box of any point in this row or the next ones (a box spans at
    most the neighbouring rows): twice the half-width at their most poleward latitude."""
    size = _lat_size(rules)
    edge = min(max(abs((row - 1) * size), abs((row + 2) * size)), 90.0)
    return 2 * half_lon(edge, rules)


def cell_of(lat: float, lon: float, rules: HotspotRules) -> tuple[int, int]:
    row = math.floor(lat / _lat_size(rules))
    return row, math.floor(lon / _lon_size(row, rules))


def probe_cells(b: Box, rules: HotspotRules) -> list[tuple[int, int]]:
    size = _lat_size(rules)
    cells = []
    for row in range(math.floor(b.lat[0] / size), math.floor(b.lat[1] / size) + 1):
        width = _lon_size(row, rules)
        cells += [(row, col) for col in range(math.floor(b.lon[0] / width), math.floor(b.lon[1] / width) + 1)]
    return cells


def _place_seed(category: str, cell: tuple[int, int]) -> np.uint64:
    digest = hashlib.blake2b(f"{category}|{cell[0]}|{cell[1]}".encode(), digest_size=8).digest()
    return np.uint64(int.from_bytes(digest, "little"))


def placed(keys: Sequence[int], category: str, cell: tuple[int, int]) -> list[int]:
    """The band keys as stored or probed in one cell for one category (signed 64-bit)."""
    if not keys:
        return []
    raw = np.asarray(keys, dtype=np.int64).view(np.uint64)
    return mix(raw ^ _place_seed(category, cell)).view(np.int64).tolist()


def stored_keys(category: str, lat: float, lon: float, keys: Sequence[int], rules: HotspotRules) -> list[int]:
    return placed(keys, category, cell_of(lat, lon, rules))


def probe_keys(category: str, b: Box, keys: Sequence[int], rules: HotspotRules) -> list[int]:
    return [k for cell in probe_cells(b, rules) for k in placed(keys, category, cell)]


def rank_key(shared: int, at: datetime, complaint_id: object) -> tuple[object, ...]:
    """Candidates first that share more keys, then the later; the id breaks ties (the probe
    query orders the same way: PostgreSQL compares uuids as Python's UUID does)."""
    return (-shared, -at.timestamp(), str(complaint_id))
