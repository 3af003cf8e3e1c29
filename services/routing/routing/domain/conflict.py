"""Conflict of interest: a complaint about a unit or one of its officers never goes to that
unit. It goes to the supervision unit of the unit's district bureau, or else to the city's
supervision department; a supervision unit that is itself named is skipped too."""

from __future__ import annotations

from huiyin.events.assignments import Candidate
from routing.domain.decision import RouteDecision
from routing.domain.directory import Directory
from routing.domain.units import Unit, UnitKind

CONFLICTED = "conflict of interest: is, or is above or under, a unit the complaint names"


def route_around_conflict(
    directory: Directory,
    *,
    subject_unit_id: str | None,
    officer_id: str | None,
    officer_unit_id: str | None,
    excluded: frozenset[str] = frozenset(),
) -> RouteDecision:
    named = [u for u in dict.fromkeys((subject_unit_id, officer_unit_id)) if u]
    considered: list[Candidate] = []
    for unit in _supervisors(directory, named):
        if is_conflicted(directory, unit.id, named):
            considered.append(Candidate(unit_id=unit.id, why=CONFLICTED))
        elif unit.id in excluded:
            considered.append(Candidate(unit_id=unit.id, why="returned this complaint before"))
        else:
            considered.append(Candidate(unit_id=unit.id, why="chosen"))
            why = f"the complaint names {_describe(directory, named, officer_id)}, and a unit never handles a complaint about itself or its officers (conflict of interest)"
            return RouteDecision(
                unit.id, "conflict_of_interest", f"routed to {unit.label} because {why}", tuple(considered)
            )
    return RouteDecision.unroutable(
        "conflict_no_supervisor",
        f"the complaint names {_describe(directory, named, officer_id)} and no supervision unit free of the conflict exists",
        considered,
    )


def is_conflicted(directory: Directory, unit_id: str, named: list[str]) -> bool:
    """A unit may not take a complaint naming it, naming a unit under it (a bureau judging
    its own station), or naming a unit above it (a bureau's inspection unit judging the
    bureau). The bureau's inspection unit may judge one of the bureau's stations."""
    if not named:
        return False
    above_named = {b.id for b in (directory.bureau_of(n) for n in named) if b is not None}
    if unit_id in named or unit_id in above_named:
        return True
    return any(a.id in named for a in directory.ancestors(unit_id))


def _supervisors(directory: Directory, named: list[str]) -> list[Unit]:
    """The bureau's own supervision units first (when one bureau is concerned), then the city's."""
    bureaus = {b.id for b in (directory.bureau_of(u) for u in named) if b is not None}
    local: list[Unit] = []
    if len(bureaus) == 1:
        (bureau_id,) = bureaus
        local = [u for u in directory.of_kind(UnitKind.SUPERVISION) if u.parent_id == bureau_id]
    city = directory.city_supervision()
    return [*local, *([city] if city is not None and city not in local else [])]


def _describe(directory: Directory, named: list[str], officer_id: str | None) -> str:
    parts = []
    if officer_id:
        parts.append(f"officer {officer_id}")
    for unit_id in named:
        unit = directory.get(unit_id)
        parts.append(unit.label if unit else f"unit {unit_id}")
    return " of ".join(parts) if officer_id and len(parts) == 2 else ", ".join(parts)
