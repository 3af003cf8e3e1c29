"""Possible duplicates: same contact, same category, nearby, within the window."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from intake.domain.contact import contact_key
from intake.domain.duplicates import Filed, distance_m, find_duplicate

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def filed(*, key: str = "k", category: str = "noise", lat: float | None = 30.2741, lon: float | None = 120.1551,
          address: str | None = None, at: datetime = T0) -> Filed:  # fmt: skip
    return Filed(uuid.uuid4(), key, category, lat, lon, address, at)


def test_distance_is_metres_on_the_earth() -> None:
    # 0.001 degree of latitude is about 111 m
    assert 110 < distance_m(30.0, 120.0, 30.001, 120.0) < 112
    assert distance_m(30.0, 120.0, 30.0, 120.0) == 0


def test_the_most_recent_nearby_one_of_the_same_contact_and_category_is_flagged() -> None:
    old, newer = filed(at=T0), filed(lat=30.2745, at=T0 + timedelta(hours=2))
    new = filed(at=T0 + timedelta(hours=3))
    assert find_duplicate(new, [old, newer], window=DAY, radius_m=300) == newer.complaint_id


def test_other_contact_category_place_or_time_is_not_a_duplicate() -> None:
    new = filed(at=T0 + timedelta(hours=1))
    others = [
        filed(key="other"),
        filed(category="theft"),
        filed(lat=30.30),  # about 3 km away
        filed(at=T0 + timedelta(hours=1) - timedelta(hours=25)),  # outside the window
        filed(at=T0 + timedelta(hours=2)),  # later than the new one
    ]
    assert find_duplicate(new, others, window=DAY, radius_m=300) is None


def test_without_coordinates_the_same_written_address_counts_as_nearby() -> None:
    old = filed(lat=None, lon=None, address="西湖区 文三路100号")
    new = filed(lat=None, lon=None, address="西湖区文三路100号", at=T0 + timedelta(minutes=5))
    assert find_duplicate(new, [old], window=DAY, radius_m=300) == old.complaint_id
    elsewhere = filed(lat=None, lon=None, address="西湖区文三路200号", at=T0 + timedelta(minutes=5))
    assert find_duplicate(elsewhere, [old], window=DAY, radius_m=300) is None


def test_contact_key_is_keyed_and_prefers_the_phone() -> None:
    k1, k2 = b"k" * 32, b"j" * 32
    assert contact_key(phone=None, email=None, hmac_key=k1) is None
    by_phone = contact_key(phone="13800138000", email="a@b.cn", hmac_key=k1)
    assert by_phone == contact_key(phone="13800138000", email=None, hmac_key=k1)
    assert by_phone != contact_key(phone="13800138000", email=None, hmac_key=k2)
    assert "13800138000" not in (by_phone or "")
    assert contact_key(phone=None, email="A@B.cn", hmac_key=k1) == contact_key(
        phone=None, email="a@b.cn", hmac_key=k1
    )
