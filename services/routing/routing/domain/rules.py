"""The routing rules: pure functions from a complaint's facts and the directory to a decision.

In order: conflict of interest (a complaint naming a unit or its officer goes to
supervision), then a category's dedicated unit (traffic -> the traffic brigade whose area
holds the point), then the front-line unit whose jurisdiction holds the point. No point, or
a point outside every jurisdiction: unroutable (the dispatch desk's triage queue). On a
shared border, the lowest unit id wins, so the same input always gives the same unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from huiyin.events.assignments import Candidate
from routing.domain import categories
from routing.domain.conflict import route_around_conflict
from routing.domain.decision import RouteDecision
from routing.domain.directory import Directory
from routing.domain.units import FRONT_LINE, Unit


@dataclass(frozen=True)
class ComplaintFacts:
    category: str
    lat: float | None = None
    lon: float | None = None
    subject_unit_id: str | None = None
    subject_officer_id: str | None = None
    officer_unit_id: str | None = None  # the named officer's unit (looked up by the caller)
    excluded: frozenset[str] = frozenset()  # units that returned this complaint before

    @property
    def names_police(self) -> bool:
        return bool(self.subject_unit_id or self.subject_officer_id)


def decide_many(many: Sequence[ComplaintFacts], directory: Directory) -> list[RouteDecision]:
    """`decide` for a batch, the jurisdictions of all its points looked up at once."""
    points = [_point(f) for f in many]
    coverings = iter(directory.index.covering_many([p for p in points if p is not None]))
    return [
        decide(f, directory, covering=None if p is None else next(coverings))
        for f, p in zip(many, points, strict=True)
    ]


def _point(facts: ComplaintFacts) -> tuple[float, float] | None:
    """Where `decide` looks for a jurisdiction: none for a complaint naming the police."""
    if facts.names_police or facts.lat is None or facts.lon is None:
        return None
    return facts.lat, facts.lon


def decide(
    facts: ComplaintFacts, directory: Directory, *, covering: Sequence[Unit] | None = None
) -> RouteDecision:
    """The decision for one complaint; `covering` (the units whose area holds its point)
    when the caller looked it up already (`decide_many`)."""
    if facts.names_police:
        return route_around_conflict(
            directory,
            subject_unit_id=facts.subject_unit_id,
            officer_id=facts.subject_officer_id,
            officer_unit_id=facts.officer_unit_id,
            excluded=facts.excluded,
        )
    if facts.lat is None or facts.lon is None:
        return RouteDecision.unroutable(
            "no_location", "the complaint has no coordinates, so no jurisdiction can be matched"
        )
    where = f"the point ({facts.lat:.5f}, {facts.lon:.5f})"
    if covering is None:
        covering = directory.index.covering(facts.lat, facts.lon)
    if not covering:
        return RouteDecision.unroutable("outside_jurisdictions", f"{where} lies outside every jurisdiction")
    what = categories.label(facts.category)
    considered: list[Candidate] = []
    kind = categories.DEDICATED_KIND.get(facts.category)
    if kind is not None:
        dedicated = [u for u in covering if u.kind == kind]
        chosen = _pick(dedicated, facts, considered)
        if chosen is not None:
            why = f"{what} has a dedicated unit, and {where} lies in its area"
            return _routed(chosen, "dedicated_unit", why, dedicated, considered)
    ranked = sorted(
        (u for u in covering if u.kind in FRONT_LINE), key=lambda u: (FRONT_LINE.index(u.kind), u.id)
    )
    chosen = _pick(ranked, facts, considered)
    if chosen is None:
        reason = "every unit whose jurisdiction holds it returned the complaint or does not handle it"
        rule = "no_unit_left" if considered else "outside_jurisdictions"
        return RouteDecision.unroutable(rule, f"{where}: {reason}", considered)
    why = f"{where} lies in its jurisdiction and it handles {what}"
    return _routed(chosen, "jurisdiction", why, ranked, considered)


def _pick(units: Sequence[Unit], facts: ComplaintFacts, considered: list[Candidate]) -> Unit | None:
    """The first eligible unit in order; every unit looked at is recorded with why."""
    chosen: Unit | None = None
    for unit in units:
        if unit.id in facts.excluded:
            why = "returned this complaint before"
        elif not unit.handles(facts.category):
            why = f"does not handle {categories.label(facts.category)}"
        elif chosen is None:
            chosen, why = unit, "chosen"
        else:
            why = f"also holds the point; {chosen.id} comes first (more specific unit, then lowest id)"
        considered.append(Candidate(unit_id=unit.id, why=why))
    return chosen


def _routed(
    unit: Unit, rule: str, why: str, peers: Sequence[Unit], considered: list[Candidate]
) -> RouteDecision:
    eligible = [u for u in peers if u.kind == unit.kind]
    if len(eligible) > 1:
        why += f"; the point lies on a shared border of {len(eligible)} units and the lowest unit id wins"
    return RouteDecision(unit.id, rule, f"routed to {unit.label} because {why}", tuple(considered))
