"""The parameters that say when complaints are one matter and when a group is a hot spot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class HotspotRules:
    radius_m: float = 500.0
    window: timedelta = timedelta(days=14)
    min_complaints: int = 5
    min_citizens: int = 3
    # Estimated Jaccard of two texts' shingle sets (similarity.text_similarity) at or above
    # which they are "the same matter"; tuned on tests/data/hotspots (docs/hotspots.md).
    text_threshold: float = 0.2
    # Share of a group's nearby candidate members a newcomer must match to join the group
    # (grouping.py explains the drift this stops).
    group_share: float = 0.5

    def __post_init__(self) -> None:
        if self.radius_m <= 0 or self.window <= timedelta(0):
            raise ValueError("radius_m and window must be positive")
        if self.min_complaints < 2 or self.min_citizens < 1:
            raise ValueError("a hot spot needs at least 2 complaints and 1 citizen")
        if not 0.0 < self.text_threshold <= 1.0:
            raise ValueError("text_threshold must be in (0, 1]")
        if not 0.0 <= self.group_share <= 1.0:
            raise ValueError("group_share must be in [0, 1]")

    def reached(self, complaints: int, citizens: int) -> bool:
        return complaints >= self.min_complaints and citizens >= self.min_citizens
