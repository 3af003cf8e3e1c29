"""Whether two complaints are about the same matter: category, place, time, then text."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import TextPrint, text_similarity

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


@dataclass(frozen=True)
class Sighting:
    """One complaint as hot-spot detection sees it (text already fingerprinted)."""

    complaint_id: UUID
    category: str
    lat: float
    lon: float
    at: datetime  # submitted_at, tz-aware
    citizen_ref: str | None  # None: anonymous without contact
    print: TextPrint


def distance_m(a: Sighting, b: Sighting) -> float:
    """Great-circle (haversine) distance in metres."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def near(a: Sighting, b: Sighting, rules: HotspotRules) -> bool:
    """Same category, within the radius and the window of each other: the text decides the rest."""
    return (
        a.category == b.category and abs(a.at - b.at) <= rules.window and distance_m(a, b) <= rules.radius_m
    )


def same_matter(a: Sighting, b: Sighting, rules: HotspotRules) -> bool:
    # The cheap checks first: most candidates fail on place or time before the text is compared.
    return near(a, b, rules) and text_similarity(a.print, b.print) >= rules.text_threshold
