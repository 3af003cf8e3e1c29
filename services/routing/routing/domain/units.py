"""Units: police stations, community offices, brigades, bureaus, supervision, dispatch."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class UnitKind(StrEnum):
    POLICE_STATION = "police_station"  # 派出所
    COMMUNITY_OFFICE = "community_police_office"  # 社区警务室
    TRAFFIC_BRIGADE = "traffic_brigade"  # 交警大队
    DISTRICT_BUREAU = "district_bureau"  # 分局
    SUPERVISION = "supervision_department"  # 督察/监督部门
    DISPATCH_DESK = "dispatch_desk"  # 指挥调度 (triage of unroutable complaints)


# Units that answer complaints by place, most specific first: a community office inside a
# station's area takes the categories it handles before the station does.
FRONT_LINE: tuple[UnitKind, ...] = (UnitKind.COMMUNITY_OFFICE, UnitKind.POLICE_STATION)

CALENDARS = ("24x7", "workdays")


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    name_en: str
    kind: UnitKind
    parent_id: str | None = None
    categories: frozenset[str] = frozenset()  # empty: every category
    area: Any = None  # a shapely (Multi)Polygon, or None for units without a jurisdiction
    retired: bool = False

    def handles(self, category: str) -> bool:
        return not self.categories or category in self.categories

    @property
    def label(self) -> str:
        return f"{self.name} ({self.name_en})" if self.name_en else self.name
