"""Pure parts of the hot spot reads and detection: the responsible unit, the deadline's state,
the growth per day, and that every hot spot route declares exactly one staff rule."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from fastapi.routing import APIRoute

from huiyin.auth.access import ACCESS_ATTR
from routing.hotspots.api import hotspots_router
from routing.hotspots.joining import responsible_unit
from routing.hotspots.queries import growth, sla_state
from routing.hotspots.tables import HotspotRow
from tests.unit.routing.routing_city import city

NOW = datetime(2025, 4, 10, 8, tzinfo=UTC)


def test_the_responsible_unit_is_where_most_complaints_were_routed() -> None:
    members = [SimpleNamespace(unit_id=u) for u in ("ps-a1", "ps-b1", "ps-b1", None)]
    assert responsible_unit(members, city()) == ("ps-b1", "bureau-b")
    assert responsible_unit([SimpleNamespace(unit_id=None)], city()) == ("dispatch", None)


def row(**values: Any) -> HotspotRow:
    base = {"id": uuid.uuid4(), "category": "noise", "status": "detected", "first_at": NOW, "last_at": NOW}
    return HotspotRow(**{**base, **values})


def test_the_deadline_state() -> None:
    assert sla_state(row(), NOW)["state"] == "none"
    due = NOW + timedelta(hours=1)
    assert sla_state(row(status="adopted", deadline=due), NOW)["state"] == "open"
    assert sla_state(row(status="adopted", deadline=due), NOW)["time_left_s"] == 3600
    assert sla_state(row(status="adopted", deadline=due), due + timedelta(seconds=1))["state"] == "overdue"
    assert sla_state(row(status="solved", deadline=due, on_time=True), NOW)["state"] == "met"
    assert sla_state(row(status="solved", deadline=due, on_time=False), NOW)["state"] == "missed"


def test_growth_counts_per_day_in_shanghai_time() -> None:
    # 23:30 UTC is the next morning in Shanghai.
    ats = [datetime(2025, 4, 1, 1, tzinfo=UTC), datetime(2025, 4, 1, 23, 30, tzinfo=UTC), NOW]
    assert [(str(p["date"]), p["count"], p["total"]) for p in growth(ats)] == [
        ("2025-04-01", 1, 1),
        ("2025-04-02", 1, 2),
        ("2025-04-10", 1, 3),
    ]


def _calls(dependant: Any) -> list[Any]:
    found = []
    for sub in dependant.dependencies:
        found += [sub.call, *_calls(sub)]
    return found


def test_every_hotspot_route_declares_one_staff_rule() -> None:
    seen = {}
    for route in hotspots_router().routes:
        assert isinstance(route, APIRoute)
        rules = {getattr(c, ACCESS_ATTR) for c in _calls(route.dependant) if hasattr(c, ACCESS_ATTR)}
        assert len(rules) == 1, (route.path, rules)
        seen[(route.path, *sorted(route.methods))] = rules.pop()
    assert len(seen) == 5
    assert all(rule[0] == "staff" for rule in seen.values())
