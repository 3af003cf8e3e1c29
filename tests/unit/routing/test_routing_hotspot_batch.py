"""Grouping one batch in memory (routing.hotspots.batch): complaints of a batch see each other,
stored candidates join or form groups, and the probe box covers the radius."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from routing.hotspots.batch import BatchGrouping, own_keys, probe_of
from routing.hotspots.grouping import Member
from routing.hotspots.matching import Sighting, distance_m
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import band_keys, fingerprint

RULES = HotspotRules()
T0 = datetime(2025, 4, 1, 12, tzinfo=UTC)
STALL = [
    "小区东门外的烧烤摊每天半夜还在营业，油烟很大，噪音吵得睡不着",
    "东门外烧烤摊半夜营业到两三点，油烟和噪音太大，居民没法睡觉",
    "小区东门烧烤摊夜里噪音很大，油烟呛人，吵得人睡不着觉",
]
THEFT = "停车场里我的电动车电瓶被人偷了，监控也是坏的"


def sighting(text: str, *, east_m: float = 0.0, minutes: int = 0, category: str = "noise") -> Sighting:
    return Sighting(
        complaint_id=uuid.uuid4(),
        category=category,
        lat=30.25,
        lon=120.17 + east_m / 96_000,
        at=T0 + timedelta(minutes=minutes),
        citizen_ref=None,
        print=fingerprint(text),
    )


def add(batch: BatchGrouping, s: Sighting, stored: list[Member] | None = None) -> uuid.UUID | None:
    keys = band_keys(s.print)
    shared = [(m, len(set(band_keys(m.sighting.print)) & set(keys))) for m in stored or []]
    return batch.add(s, probe_of(s, keys, RULES), own_keys(s, keys, RULES), shared)


def test_complaints_of_one_batch_group_with_each_other() -> None:
    batch = BatchGrouping(RULES)
    first, second, third = (sighting(t, east_m=30 * i, minutes=i) for i, t in enumerate(STALL))
    assert add(batch, first) is None  # alone so far
    group = add(batch, second)
    assert group is not None and batch.new_groups == {group: "noise"}
    assert add(batch, third) == group
    assert batch.joins == [
        (group, first.complaint_id),
        (group, second.complaint_id),
        (group, third.complaint_id),
    ]
    assert batch.moved == {}  # none of them was stored before


def test_another_matter_category_or_place_stays_alone() -> None:
    batch = BatchGrouping(RULES)
    add(batch, sighting(STALL[0]))
    assert add(batch, sighting(THEFT, east_m=10)) is None
    assert add(batch, sighting(STALL[1], category="theft")) is None
    assert add(batch, sighting(STALL[1], east_m=5_000)) is None
    assert batch.joins == []


def test_a_stored_ungrouped_complaint_is_pulled_into_the_new_group() -> None:
    stored = sighting(STALL[0], minutes=-60)
    batch = BatchGrouping(RULES)
    group = add(batch, sighting(STALL[1]), [Member(stored, None)])
    assert group is not None
    assert batch.moved == {stored.complaint_id: group}
    assert batch.joins[0] == (group, stored.complaint_id)


def test_a_complaint_joins_the_stored_group() -> None:
    existing = uuid.uuid4()
    stored = [Member(sighting(t, minutes=-10 * i), existing) for i, t in enumerate(STALL[:2])]
    batch = BatchGrouping(RULES)
    new = sighting(STALL[2])
    assert add(batch, new, stored) == existing
    assert batch.new_groups == {} and batch.moved == {}
    assert batch.joins == [(existing, new.complaint_id)]


def test_the_probe_box_and_window_cover_the_radius() -> None:
    s = sighting(STALL[0])
    box = probe_of(s, band_keys(s.print), RULES).box
    assert box.at == (s.at - RULES.window, s.at + RULES.window)
    for lat, lon in ((box.lat[0], s.lon), (box.lat[1], s.lon), (s.lat, box.lon[0]), (s.lat, box.lon[1])):
        edge = Sighting(s.complaint_id, s.category, lat, lon, s.at, None, s.print)
        assert distance_m(s, edge) >= RULES.radius_m * 0.999
