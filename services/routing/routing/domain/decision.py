"""A routing decision: the unit (or none), the rule that matched, and what was considered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from huiyin.events.assignments import Candidate


@dataclass(frozen=True)
class RouteDecision:
    unit_id: str | None  # None: unroutable, the dispatch desk triages it
    rule: str
    explanation: str
    candidates: tuple[Candidate, ...] = ()

    @property
    def routable(self) -> bool:
        return self.unit_id is not None

    @classmethod
    def unroutable(cls, rule: str, why: str, candidates: Sequence[Candidate] = ()) -> RouteDecision:
        return cls(None, rule, f"sent to the dispatch desk's triage queue because {why}", tuple(candidates))
