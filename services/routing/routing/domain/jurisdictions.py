"""Which units' jurisdictions hold a point: a shapely STRtree, built once per directory."""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from shapely import STRtree

from routing.domain.units import Unit


class JurisdictionIndex:
    def __init__(self, units: Sequence[Unit]) -> None:
        self._units = [u for u in units if u.area is not None and not u.retired]
        areas = [u.area for u in self._units]
        shapely.prepare(areas)
        self._tree = STRtree(areas)

    def covering(self, lat: float, lon: float) -> list[Unit]:
        """Units whose area covers the point, borders included, sorted by id (GeoJSON order
        is lon, lat)."""
        return self.covering_many([(lat, lon)])[0]

    def covering_many(self, points: Sequence[tuple[float, float]]) -> list[list[Unit]]:
        """`covering` of each (lat, lon) point, with one query of the tree for all of them
        (a consumer batch routes hundreds at once; a query per point costs more than the
        geometry)."""
        if not points:
            return []
        lats, lons = zip(*points, strict=True)
        inputs, hits = self._tree.query(shapely.points(lons, lats), predicate="covered_by")
        found: list[list[Unit]] = [[] for _ in points]
        for point, unit in zip(inputs.tolist(), hits.tolist(), strict=True):
            found[point].append(self._units[unit])
        return [sorted(units, key=lambda u: u.id) for units in found]
