"""Possible duplicates: the same contact, the same category, a nearby place, within a window.

A possible duplicate is flagged on the complaint (and its event), never dropped: the
citizen may have a second, different grievance at the same place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True, slots=True)
class Filed:
    """What duplicate detection needs to know about a complaint."""

    complaint_id: UUID
    contact_key: str
    category: str
    lat: float | None
    lon: float | None
    address: str | None
    submitted_at: datetime


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _same_address(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def nearby(a: Filed, b: Filed, *, radius_m: float) -> bool:
    """Coordinates within the radius, or (when either lacks them) the same written address."""
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        return distance_m(a.lat, a.lon, b.lat, b.lon) <= radius_m
    return _same_address(a.address, b.address)


def find_duplicate(new: Filed, earlier: list[Filed], *, window: timedelta, radius_m: float) -> UUID | None:
    """The most recent earlier complaint (of `earlier`, all with the new one's contact key)
    the new one possibly duplicates."""
    best: Filed | None = None
    for old in earlier:
        if (
            old.complaint_id != new.complaint_id
            and old.contact_key == new.contact_key
            and old.category == new.category
            and timedelta(0) <= new.submitted_at - old.submitted_at <= window
            and nearby(new, old, radius_m=radius_m)
            and (best is None or old.submitted_at > best.submitted_at)
        ):
            best = old
    return best.complaint_id if best else None
