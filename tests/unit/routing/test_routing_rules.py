"""Every routing rule, on a tiny city of boxes (tests/unit/routing/routing_city.py)."""

from __future__ import annotations

from shapely import box

from routing.domain.conflict import CONFLICTED
from routing.domain.rules import ComplaintFacts, decide, decide_many
from routing.domain.units import Unit, UnitKind
from tests.unit.routing.routing_city import city


def at(lon: float, lat: float, category: str = "noise", **kw: object) -> ComplaintFacts:
    return ComplaintFacts(category=category, lat=lat, lon=lon, **kw)  # type: ignore[arg-type]


def test_a_point_inside_one_jurisdiction_goes_to_that_station() -> None:
    d = decide(at(2.5, 0.5), city())
    assert (d.unit_id, d.rule) == ("ps-b1", "jurisdiction")
    assert "routed to 乙一所 (Station B1) because the point" in d.explanation
    assert [(c.unit_id, c.why) for c in d.candidates] == [("ps-b1", "chosen")]


def test_a_point_on_a_shared_border_goes_to_the_lowest_unit_id_every_time() -> None:
    for _ in range(3):
        d = decide(at(1.0, 0.5), city())
        assert d.unit_id == "ps-a1"
        assert "shared border" in d.explanation
        assert [c.unit_id for c in d.candidates] == ["ps-a1", "ps-a2"]
        assert "comes first" in d.candidates[1].why


def test_a_corner_shared_by_two_districts_is_deterministic_too() -> None:
    d = decide(at(2.0, 1.0), city())
    assert d.unit_id == "ps-a2"
    assert {c.unit_id for c in d.candidates} == {"ps-a2", "ps-b1"}


def test_the_dedicated_category_goes_to_the_brigade_whose_area_holds_the_point() -> None:
    d = decide(at(0.5, 0.5, "traffic"), city())
    assert (d.unit_id, d.rule) == ("traffic", "dedicated_unit")
    assert "has a dedicated unit" in d.explanation


def test_the_dedicated_category_outside_any_brigade_area_falls_back_to_the_station() -> None:
    d = decide(at(3.5, 0.5, "traffic"), city())
    assert (d.unit_id, d.rule) == ("ps-b2", "jurisdiction")


def test_other_categories_never_go_to_the_traffic_brigade() -> None:
    assert decide(at(0.5, 0.5, "theft"), city()).unit_id == "ps-a1"


def test_no_coordinates_is_unroutable() -> None:
    d = decide(ComplaintFacts(category="noise", lat=None, lon=None), city())
    assert (d.unit_id, d.rule, d.routable) == (None, "no_location", False)
    assert "dispatch desk" in d.explanation


def test_a_point_outside_every_jurisdiction_is_unroutable() -> None:
    d = decide(at(9.0, 9.0), city())
    assert (d.unit_id, d.rule) == (None, "outside_jurisdictions")


def test_a_retired_unit_is_never_chosen() -> None:
    retired = Unit(
        "ps-a0", "旧所", "Old", UnitKind.POLICE_STATION, "bureau-a", area=box(0, 0, 1, 1), retired=True
    )
    assert decide(at(0.5, 0.5), city(retired)).unit_id == "ps-a1"


def test_a_complaint_naming_a_unit_goes_to_its_bureaus_supervision() -> None:
    d = decide(at(0.5, 0.5, "police_conduct", subject_unit_id="ps-a1"), city())
    assert (d.unit_id, d.rule) == ("sup-a", "conflict_of_interest")
    assert "conflict of interest" in d.explanation and "甲一所 (Station A1)" in d.explanation


def test_conflict_of_interest_applies_to_any_category_and_wins_over_place() -> None:
    d = decide(at(0.5, 0.5, "noise", subject_unit_id="ps-a2"), city())
    assert d.unit_id == "sup-a"


def test_without_a_bureau_supervision_the_city_supervision_department_takes_it() -> None:
    d = decide(at(2.5, 0.5, "service_attitude", subject_unit_id="ps-b1"), city())
    assert (d.unit_id, d.rule) == ("supervision", "conflict_of_interest")


def test_a_named_officer_is_traced_to_their_unit() -> None:
    d = decide(at(0.5, 0.5, subject_officer_id="HY1001", officer_unit_id="ps-a1"), city())
    assert d.unit_id == "sup-a"
    assert "officer HY1001 of 甲一所 (Station A1)" in d.explanation


def test_a_named_officer_of_unknown_unit_goes_to_the_city_supervision() -> None:
    d = decide(at(0.5, 0.5, subject_officer_id="nobody"), city())
    assert d.unit_id == "supervision"


def test_a_complaint_about_a_bureau_skips_its_own_supervision() -> None:
    d = decide(at(0.5, 0.5, subject_unit_id="bureau-a"), city())
    assert d.unit_id == "supervision"
    assert [(c.unit_id, c.why) for c in d.candidates] == [("sup-a", CONFLICTED), ("supervision", "chosen")]


def test_a_complaint_about_the_city_supervision_itself_has_no_one_left() -> None:
    d = decide(at(0.5, 0.5, subject_unit_id="supervision"), city(drop=("sup-a",)))
    assert (d.unit_id, d.rule) == (None, "conflict_no_supervisor")


def test_a_complaint_without_coordinates_naming_a_unit_still_goes_to_supervision() -> None:
    d = decide(ComplaintFacts(category="police_conduct", subject_unit_id="ps-b2"), city())
    assert d.unit_id == "supervision"


def test_units_that_returned_the_complaint_are_skipped() -> None:
    d = decide(at(1.0, 0.5, excluded=frozenset({"ps-a1"})), city())
    assert d.unit_id == "ps-a2"
    assert ("ps-a1", "returned this complaint before") in [(c.unit_id, c.why) for c in d.candidates]


def test_when_every_covering_unit_returned_it_the_complaint_is_unroutable() -> None:
    d = decide(at(0.5, 0.5, excluded=frozenset({"ps-a1"})), city())
    assert (d.unit_id, d.rule) == (None, "no_unit_left")


def test_a_community_office_takes_its_categories_inside_a_station_area() -> None:
    office = Unit(
        "cpo-a1",
        "社区警务室",
        "Community office",
        UnitKind.COMMUNITY_OFFICE,
        "ps-a1",
        categories=frozenset({"noise"}),
        area=box(0.2, 0.2, 0.4, 0.4),
    )
    assert decide(at(0.3, 0.3, "noise"), city(office)).unit_id == "cpo-a1"
    theft = decide(at(0.3, 0.3, "theft"), city(office))
    assert theft.unit_id == "ps-a1"
    assert ("cpo-a1", "does not handle 盗窃 (Theft)") in [(c.unit_id, c.why) for c in theft.candidates]


def test_escalation_chain_is_bureau_then_supervision() -> None:
    d = city()
    assert d.escalation_units("ps-a1") == ["bureau-a", "supervision"]
    assert d.escalation_units("traffic") == ["supervision"]
    assert d.escalation_units("supervision") == []
    assert d.facts("ps-b2") == {
        "unit_name": "乙二所 (Station B2)",
        "unit_kind": "police_station",
        "district_id": "bureau-b",
        "district_name": "乙分局 (Bureau B)",
    }


def test_a_batch_is_decided_as_each_complaint_alone() -> None:
    """decide_many looks every point up with one query; its decisions are decide's, in order
    (borders, corners, dedicated units, no location, outside, naming the police)."""
    directory = city()
    batch = [
        at(2.5, 0.5),
        at(1.0, 0.5),
        at(2.0, 1.0),
        at(0.5, 0.5, "traffic"),
        at(3.5, 0.5, "traffic"),
        ComplaintFacts(category="noise", lat=None, lon=None),
        at(50.0, 50.0),
        at(0.5, 0.5, subject_unit_id="ps-a1"),
        at(2.5, 0.5),
    ]
    assert decide_many(batch, directory) == [decide(f, directory) for f in batch]
    assert decide_many([], directory) == []
