"""The committed demo city is what the issue asks for, and its areas tile without overlaps."""

from __future__ import annotations

from collections import Counter

from shapely import unary_union
from shapely.geometry import shape

from routing.adapters.tables import UnitRow
from routing.adapters.units_repo import to_unit
from routing.demo import DEMO_USERS, demo_units
from routing.domain.categories import CATEGORIES, DEDICATED_KIND
from routing.domain.directory import Directory
from routing.domain.geometry import overlaps, parse_area
from routing.domain.rules import ComplaintFacts, decide
from routing.domain.units import UnitKind
from routing.handlers.units_admin import overlap_warnings

UNITS = demo_units()
AREAS = {u["id"]: shape(u["jurisdiction"]) for u in UNITS if u["jurisdiction"]}


def of_kind(kind: str) -> list[dict]:
    return [u for u in UNITS if u["kind"] == kind]


def test_the_city_has_every_kind_of_unit_with_bilingual_names() -> None:
    kinds = Counter(u["kind"] for u in UNITS)
    assert kinds["district_bureau"] >= 3 and kinds["police_station"] >= 12
    for kind in ("community_police_office", "traffic_brigade", "supervision_department", "dispatch_desk"):
        assert kinds[kind] >= 1, kind
    assert all(u["name"] and u["name_en"] and u["name"] != u["name_en"] for u in UNITS)
    assert all(set(u["categories"]) <= set(CATEGORIES) for u in UNITS)
    assert (
        of_kind("traffic_brigade")[0]["categories"] == ["traffic"]
        and DEDICATED_KIND["traffic"] == UnitKind.TRAFFIC_BRIGADE
    )


def test_jurisdictions_are_valid_inside_the_city_box_and_stations_do_not_overlap() -> None:
    for unit_id, area in AREAS.items():
        parse_area(dict(area.__geo_interface__))
        min_lon, min_lat, max_lon, max_lat = area.bounds
        assert min_lon >= 120.0 and min_lat >= 30.2 and max_lon <= 120.3 and max_lat <= 30.4, unit_id
    stations = {u["id"]: AREAS[u["id"]] for u in of_kind("police_station")}
    assert overlaps(stations) == []


def test_each_district_is_tiled_by_its_stations() -> None:
    for bureau in of_kind("district_bureau"):
        mine = [AREAS[u["id"]] for u in of_kind("police_station") if u["parent_id"] == bureau["id"]]
        assert len(mine) >= 3
        assert unary_union(mine).symmetric_difference(AREAS[bureau["id"]]).area < 1e-9


def test_the_traffic_brigade_covers_every_station_and_the_community_office_sits_in_its_station() -> None:
    brigade = AREAS[of_kind("traffic_brigade")[0]["id"]]
    assert all(brigade.buffer(1e-9).covers(AREAS[u["id"]]) for u in of_kind("police_station"))
    office = of_kind("community_police_office")[0]
    assert AREAS[office["parent_id"]].covers(AREAS[office["id"]])


def test_the_lake_lies_in_no_jurisdiction_and_is_unroutable() -> None:
    directory = Directory([to_unit(UnitRow(**u)) for u in UNITS])
    assert (
        decide(ComplaintFacts(category="noise", lat=30.325, lon=120.1), directory).rule
        == "outside_jurisdictions"
    )
    assert overlap_warnings([UnitRow(**u) for u in UNITS]) == []


def test_one_demo_user_per_role() -> None:
    assert sorted(r for _, r, *_ in DEMO_USERS) == sorted(
        ["officer", "station_head", "district_supervisor", "supervision", "dispatch", "admin"]
    )
    units = {u["id"] for u in UNITS}
    assert all(unit is None or unit in units for _, _, unit, *_ in DEMO_USERS)
