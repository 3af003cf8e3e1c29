"""Which units a staff member may see in the supervision API."""

from __future__ import annotations

from dataclasses import dataclass

from huiyin.auth.tokens import Principal, Role

CITY_WIDE = (Role.SUPERVISION, Role.ADMIN)
OWN_UNIT = (Role.OFFICER, Role.STATION_HEAD, Role.DISPATCH)
ALL_ROLES = (*CITY_WIDE, Role.DISTRICT_SUPERVISOR, *OWN_UNIT)


@dataclass(frozen=True)
class Scope:
    city_wide: bool = False
    district_id: str | None = None  # a district supervisor: every unit of this district
    unit_id: str | None = None  # a station role: this unit only

    def allows(self, unit_id: str, district_id: str | None) -> bool:
        if self.city_wide:
            return True
        if self.district_id is not None:
            return district_id == self.district_id
        return self.unit_id is not None and unit_id == self.unit_id


NOBODY = Scope()


def scope_for(principal: Principal, *, district_of_own_unit: str | None) -> Scope:
    """A district supervisor's district is the district of their unit (the district bureau),
    or their unit id itself when that unit is not known as a unit with a district."""
    if principal.role in CITY_WIDE:
        return Scope(city_wide=True)
    if principal.unit_id is None:
        return NOBODY
    if principal.role == Role.DISTRICT_SUPERVISOR:
        return Scope(district_id=district_of_own_unit or principal.unit_id)
    if principal.role in OWN_UNIT:
        return Scope(unit_id=principal.unit_id)
    return NOBODY
