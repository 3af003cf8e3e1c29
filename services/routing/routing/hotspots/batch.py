"""Grouping one batch of new complaints in order, in memory: each sees the stored candidates
the probe found for it and the batch's earlier complaints (through the same band keys), and
the groups they joined a moment ago. No I/O; detect.py reads and writes around it."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from routing.hotspots.grouping import Member, choose
from routing.hotspots.lsh_index import Probe
from routing.hotspots.matching import EARTH_RADIUS_M, Sighting
from routing.hotspots.rules import HotspotRules

# Of latitude on the sphere matching.distance_m uses; the box is 1% wider, never narrower.
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180
MARGIN = 1.01


def probes_of(new: Sighting, keys: Sequence[int], rules: HotspotRules) -> list[Probe]:
    """The index probes of one complaint: its band keys, its radius as a lat/lon box (a
    little looser than the circle; the distance is checked exactly later), its window."""
    dlat = MARGIN * rules.radius_m / METRES_PER_DEGREE
    dlon = MARGIN * rules.radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(new.lat)), 0.01))
    box = dict(
        lat=(new.lat - dlat, new.lat + dlat),
        lon=(new.lon - dlon, new.lon + dlon),
        at=(new.at - rules.window, new.at + rules.window),
    )
    return [Probe(new.complaint_id, key, new.category, **box) for key in keys]  # type: ignore[arg-type]


@dataclass
class BatchGrouping:
    """Joins in the order they happened: (group id, complaint id); `new_groups` (id ->
    category) were formed by this batch; `moved` are stored, ungrouped sightings pulled into a group."""

    rules: HotspotRules
    joins: list[tuple[UUID, UUID]] = field(default_factory=list)
    new_groups: dict[UUID, str] = field(default_factory=dict)
    moved: dict[UUID, UUID] = field(default_factory=dict)
    assigned: dict[UUID, UUID] = field(default_factory=dict)
    _bands: dict[tuple[str, int], list[Sighting]] = field(default_factory=lambda: defaultdict(list))

    def add(self, new: Sighting, keys: Sequence[int], stored: Sequence[Member]) -> UUID | None:
        """Place one new complaint; returns its group (None: alone so far)."""
        seen: dict[UUID, Member] = {}
        for member in stored:
            cid = member.sighting.complaint_id
            seen[cid] = Member(member.sighting, self.assigned.get(cid, member.group_id))
        for key in keys:
            for earlier in self._bands[(new.category, key)]:
                seen[earlier.complaint_id] = Member(earlier, self.assigned.get(earlier.complaint_id))
        choice = choose(new, list(seen.values()), self.rules)
        group_id = choice.group_id
        if group_id is None and choice.partners:
            group_id = uuid.uuid4()
            self.new_groups[group_id] = new.category
        if group_id is not None:
            stored_set = {m.sighting.complaint_id for m in stored}
            for cid in (*sorted(choice.partners, key=lambda c: seen[c].sighting.at), new.complaint_id):
                if cid in self.assigned:
                    continue
                self.assigned[cid] = group_id
                self.joins.append((group_id, cid))
                if cid in stored_set:
                    self.moved[cid] = group_id
        for key in keys:
            self._bands[(new.category, key)].append(new)
        return group_id
