"""Jurisdiction geometries: what is accepted, and what the refusal says."""

from __future__ import annotations

import pytest
from shapely import box

from routing.domain.geometry import overlaps, parse_area


def square(x: float = 120.0, y: float = 30.0) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}


def test_polygons_and_multipolygons_are_accepted() -> None:
    assert parse_area(square()).area == pytest.approx(1.0)
    multi = {"type": "MultiPolygon", "coordinates": [square()["coordinates"], square(122.0)["coordinates"]]}
    assert parse_area(multi).area == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [120.0, 30.0]}, "Polygon or MultiPolygon"),
        (
            {"type": "Polygon", "coordinates": [[[120, 30], [121, 31], [121, 30], [120, 31], [120, 30]]]},
            "Self-intersection",
        ),
        ({"type": "Polygon", "coordinates": [[[30, 120], [31, 120], [31, 121], [30, 120]]]}, "[lon, lat]"),
        ({"type": "Polygon", "coordinates": "nope"}, "malformed"),
        ({"type": "Polygon", "coordinates": []}, "empty"),
    ],
)
def test_bad_geometries_say_what_is_wrong(geometry: dict, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_area(geometry)
    assert message in str(caught.value)


def test_shared_borders_are_not_overlaps() -> None:
    areas = {"a": box(0, 0, 1, 1), "b": box(1, 0, 2, 1), "c": box(1.5, 0, 2.5, 1)}
    assert overlaps(areas) == [("b", "c")]
