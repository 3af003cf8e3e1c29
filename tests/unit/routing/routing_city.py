"""A tiny city for the routing rule tests: two districts of two stations each, side by side.

lat 1 +-------+-------+-------+-------+
      | ps-a1 | ps-a2 | ps-b1 | ps-b2 |     bureau-a: ps-a1, ps-a2 (+ its supervision)
lat 0 +-------+-------+-------+-------+     bureau-b: ps-b1, ps-b2
     lon 0    1       2       3       4     traffic: brigade over lon 0..2 only
"""

from __future__ import annotations

from shapely import box

from routing.domain.directory import Directory
from routing.domain.units import Unit, UnitKind

K = UnitKind


def city(*extra: Unit, drop: tuple[str, ...] = ()) -> Directory:
    units = [
        Unit("dispatch", "指挥中心", "Dispatch", K.DISPATCH_DESK),
        Unit("supervision", "督察支队", "Supervision", K.SUPERVISION),
        Unit("bureau-a", "甲分局", "Bureau A", K.DISTRICT_BUREAU, area=box(0, 0, 2, 1)),
        Unit("bureau-b", "乙分局", "Bureau B", K.DISTRICT_BUREAU, area=box(2, 0, 4, 1)),
        Unit("sup-a", "甲分局督察大队", "Bureau A inspection", K.SUPERVISION, parent_id="bureau-a"),
        Unit("ps-a1", "甲一所", "Station A1", K.POLICE_STATION, "bureau-a", area=box(0, 0, 1, 1)),
        Unit("ps-a2", "甲二所", "Station A2", K.POLICE_STATION, "bureau-a", area=box(1, 0, 2, 1)),
        Unit("ps-b1", "乙一所", "Station B1", K.POLICE_STATION, "bureau-b", area=box(2, 0, 3, 1)),
        Unit("ps-b2", "乙二所", "Station B2", K.POLICE_STATION, "bureau-b", area=box(3, 0, 4, 1)),
        Unit(
            "traffic",
            "交警支队",
            "Traffic",
            K.TRAFFIC_BRIGADE,
            categories=frozenset({"traffic"}),
            area=box(0, 0, 2, 1),
        ),
        *extra,
    ]
    return Directory([u for u in units if u.id not in drop])
