"""Hot spots: rules, distance, same matter, the grouping choice and citizen counting."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from routing.hotspots.grouping import Member, choose, citizen_count
from routing.hotspots.matching import Sighting, distance_m, same_matter
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import NUM_PERM, TextPrint

RULES = HotspotRules(text_threshold=0.5, group_share=0.5)
T0 = datetime(2025, 4, 1, 20, 0, tzinfo=UTC)


def text(shared_with_a: int, *, tag: int) -> TextPrint:
    """A print equal to print A in its first `shared_with_a` values: similarity = share."""
    values = tuple(i if i < shared_with_a else tag * 10_000 + i for i in range(NUM_PERM))
    return TextPrint.of(("t",), values)


A = text(NUM_PERM, tag=0)


def sighting(n: int, print_: TextPrint = A, **kw: object) -> Sighting:
    base = Sighting(
        complaint_id=UUID(int=n),
        category="noise",
        lat=30.27,
        lon=120.18,
        at=T0 + timedelta(minutes=n),
        citizen_ref=f"c{n}",
        print=print_,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_a_group_is_a_hot_spot_at_5_complaints_from_3_citizens() -> None:
    rules = HotspotRules()
    assert (rules.radius_m, rules.window, rules.min_complaints, rules.min_citizens) == (
        500.0,
        timedelta(days=14),
        5,
        3,
    )
    assert rules.reached(5, 3) and rules.reached(9, 4)
    assert not rules.reached(4, 4) and not rules.reached(8, 2)


def test_rules_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="text_threshold"):
        HotspotRules(text_threshold=0)
    with pytest.raises(ValueError, match="positive"):
        HotspotRules(radius_m=-1)


def test_distance_is_great_circle_metres() -> None:
    a = sighting(1, lat=30.0, lon=120.0)
    assert distance_m(a, a) == 0.0
    assert distance_m(a, replace(a, lat=31.0)) == pytest.approx(111_195, rel=1e-3)
    assert distance_m(a, replace(a, lon=120.001)) == pytest.approx(96.3, rel=1e-2)


def test_same_matter_needs_category_place_time_and_text() -> None:
    a = sighting(1)
    assert same_matter(a, sighting(2, text(64, tag=2)), RULES)  # similarity 0.5
    assert not same_matter(a, sighting(2, text(63, tag=2)), RULES)
    assert not same_matter(a, sighting(2, category="traffic"), RULES)
    assert not same_matter(a, sighting(2, lat=30.27 + 0.0046), RULES)  # ~511 m north
    assert same_matter(a, sighting(2, lat=30.27 + 0.0044), RULES)  # ~489 m
    assert not same_matter(a, sighting(2, at=T0 + timedelta(days=14, minutes=2)), RULES)
    assert same_matter(a, sighting(2, at=T0 + timedelta(days=14)), RULES)


def test_two_ungrouped_same_matter_complaints_form_a_group_together() -> None:
    choice = choose(sighting(3), [Member(sighting(1), None), Member(sighting(2), None)], RULES)
    assert choice.group_id is None
    assert choice.partners == (UUID(int=1), UUID(int=2))


def test_other_matters_and_the_complaint_itself_are_not_partners() -> None:
    new = sighting(3)
    other = Member(sighting(1, text(10, tag=1)), None)
    choice = choose(new, [other, Member(new, None)], RULES)
    assert (choice.group_id, choice.partners) == (None, ())


def test_it_joins_the_group_of_its_most_similar_member_and_brings_ungrouped_partners() -> None:
    g1, g2 = UUID(int=101), UUID(int=102)
    candidates = [
        Member(sighting(1, text(80, tag=1)), g1),
        Member(sighting(2, text(120, tag=2)), g2),
        Member(sighting(4, text(90, tag=4)), None),
    ]
    for order in (candidates, candidates[::-1]):
        choice = choose(sighting(9), order, RULES)
        assert (choice.group_id, choice.partners) == (g2, (UUID(int=4),))


def test_ties_go_to_the_group_of_the_earliest_complaint() -> None:
    g1, g2 = UUID(int=101), UUID(int=102)
    later, earlier = Member(sighting(5), g1), Member(sighting(2), g2)
    assert choose(sighting(9), [later, earlier], RULES).group_id == g2


def test_a_complaint_matching_too_few_of_a_groups_nearby_members_does_not_join_it() -> None:
    """Drift: it matches one member of four; chaining on that one would grow the group
    towards another matter."""
    group = UUID(int=101)
    members = [Member(sighting(1), group)] + [Member(sighting(n, text(20, tag=n)), group) for n in (2, 3, 4)]
    assert choose(sighting(9), members, RULES).group_id is None
    assert choose(sighting(9), members[:2], RULES).group_id == group  # one of two: half
    far = [Member(sighting(n, text(20, tag=n), lat=31.0), group) for n in (2, 3, 4)]
    assert choose(sighting(9), members[:1] + far, RULES).group_id == group  # far ones don't count


def test_citizens_are_distinct_refs_and_each_anonymous_complaint_counts_as_one() -> None:
    assert citizen_count(["c1", "c1", "c2"]) == 2
    assert citizen_count(["c1", None, None]) == 3
    assert citizen_count([]) == 0
