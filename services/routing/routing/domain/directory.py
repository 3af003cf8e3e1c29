"""The unit directory: lookups over units and their parents, built once per revision."""

from __future__ import annotations

from collections.abc import Iterable

from routing.domain.jurisdictions import JurisdictionIndex
from routing.domain.units import Unit, UnitKind


class Directory:
    def __init__(self, units: Iterable[Unit], revision: int = 0) -> None:
        self.units = {u.id: u for u in units}
        self.revision = revision
        self.index = JurisdictionIndex(list(self.units.values()))
        # Per-unit answers are asked for every complaint of a batch; a directory never
        # changes once built (a new revision builds a new one), so they are memoised.
        self._escalation: dict[str, list[str]] = {}
        self._facts: dict[str, dict[str, str | None]] = {}

    def get(self, unit_id: str | None) -> Unit | None:
        return self.units.get(unit_id) if unit_id else None

    def active(self, unit_id: str | None) -> Unit | None:
        unit = self.get(unit_id)
        return unit if unit is not None and not unit.retired else None

    def of_kind(self, kind: UnitKind) -> list[Unit]:
        return sorted(
            (u for u in self.units.values() if u.kind == kind and not u.retired), key=lambda u: u.id
        )

    def ancestors(self, unit_id: str) -> list[Unit]:
        """The unit and its parents, nearest first (a cycle in bad data stops the walk)."""
        chain, seen = [], set()
        unit = self.get(unit_id)
        while unit is not None and unit.id not in seen:
            seen.add(unit.id)
            chain.append(unit)
            unit = self.get(unit.parent_id)
        return chain

    def bureau_of(self, unit_id: str) -> Unit | None:
        """The district bureau a unit belongs to (a bureau belongs to itself)."""
        return next((u for u in self.ancestors(unit_id) if u.kind == UnitKind.DISTRICT_BUREAU), None)

    def under_bureau(self, bureau_id: str, unit_id: str) -> bool:
        bureau = self.bureau_of(unit_id)
        return bureau is not None and bureau.id == bureau_id

    def city_supervision(self) -> Unit | None:
        """The supervision department that belongs to no district bureau."""
        return next((u for u in self.of_kind(UnitKind.SUPERVISION) if self.bureau_of(u.id) is None), None)

    def dispatch_desk(self) -> Unit | None:
        desks = self.of_kind(UnitKind.DISPATCH_DESK)
        return desks[0] if desks else None

    def escalation_units(self, unit_id: str) -> list[str]:
        """Level 1: the unit's district bureau; level 2: the supervision department. A level
        that does not exist, or is the unit itself, is skipped."""
        if unit_id not in self._escalation:
            chain: list[str] = []
            for unit in (self.bureau_of(unit_id), self.city_supervision()):
                if unit is not None and not unit.retired and unit.id != unit_id and unit.id not in chain:
                    chain.append(unit.id)
            self._escalation[unit_id] = chain
        return list(self._escalation[unit_id])

    def facts(self, unit_id: str) -> dict[str, str | None]:
        """Name, kind and district of a unit, as carried on events."""
        if unit_id not in self._facts:
            unit = self.get(unit_id)
            bureau = self.bureau_of(unit_id) if unit else None
            self._facts[unit_id] = {
                "unit_name": unit.label if unit else unit_id,
                "unit_kind": unit.kind.value if unit else "unknown",
                "district_id": bureau.id if bureau else None,
                "district_name": bureau.label if bureau else None,
            }
        return dict(self._facts[unit_id])
