"""Jurisdictions as GeoJSON geometries (lon, lat in WGS84) <-> shapely polygons."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

AREA_TYPES = ("Polygon", "MultiPolygon")


def parse_area(geometry: dict[str, Any]) -> Any:
    """A valid Polygon or MultiPolygon within WGS84 bounds, or ValueError saying what is wrong."""
    kind = geometry.get("type")
    if kind not in AREA_TYPES:
        raise ValueError(f"a jurisdiction must be a Polygon or MultiPolygon, not {kind!r}")
    try:
        area = shape(geometry)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ShapelyError) as exc:
        raise ValueError(f"malformed {kind} coordinates: {exc}") from None
    if area.is_empty:
        raise ValueError("the jurisdiction is empty")
    min_lon, min_lat, max_lon, max_lat = area.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValueError("coordinates must be [lon, lat] in WGS84 degrees")
    if not area.is_valid:
        raise ValueError(f"invalid {kind}: {explain_validity(area)}")
    return area


def to_geojson(area: Any) -> dict[str, Any] | None:
    return None if area is None else dict(mapping(area))


def overlaps(areas: dict[str, Any], *, tolerance: float = 1e-12) -> list[tuple[str, str]]:
    """Pairs of ids whose areas overlap by more than a sliver (shared borders are fine)."""
    ids = sorted(areas)
    geoms = [areas[i] for i in ids]
    tree = shapely.STRtree(geoms)
    found = []
    for a, b in zip(*tree.query(geoms, predicate="intersects"), strict=True):
        if a < b and geoms[a].intersection(geoms[b]).area > tolerance:
            found.append((ids[a], ids[b]))
    return found
