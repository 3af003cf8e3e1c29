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
        hits = self._tree.query(shapely.Point(lon, lat), predicate="covered_by")
        return sorted((self._units[i] for i in hits), key=lambda u: u.id)
