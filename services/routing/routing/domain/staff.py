"""Which unit a staff role may belong to (a role is scoped to its unit)."""

from __future__ import annotations

from huiyin.auth.tokens import Role
from routing.domain.units import Unit, UnitKind

WORKING_UNITS = frozenset(UnitKind) - {UnitKind.DISPATCH_DESK}

UNIT_KINDS_FOR_ROLE: dict[Role, frozenset[UnitKind]] = {
    Role.OFFICER: WORKING_UNITS,
    Role.STATION_HEAD: WORKING_UNITS,
    Role.DISTRICT_SUPERVISOR: frozenset({UnitKind.DISTRICT_BUREAU}),
    Role.SUPERVISION: frozenset({UnitKind.SUPERVISION}),
    Role.DISPATCH: frozenset({UnitKind.DISPATCH_DESK}),
}


def unit_problem(role: Role, unit: Unit | None, unit_id: str | None) -> str | None:
    """Why this role cannot belong to this unit, or None when it can."""
    if role == Role.ADMIN:
        return None if unit_id is None or unit is not None else f"no unit {unit_id!r}"
    if unit_id is None:
        return f"role {role.value!r} needs a unit"
    if unit is None or unit.retired:
        return f"no active unit {unit_id!r}"
    kinds = UNIT_KINDS_FOR_ROLE[role]
    if unit.kind not in kinds:
        allowed = ", ".join(sorted(k.value for k in kinds))
        return f"role {role.value!r} belongs to a unit of kind {allowed}, not {unit.kind.value}"
    return None
