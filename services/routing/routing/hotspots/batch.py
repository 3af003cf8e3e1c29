"""Grouping one batch of new complaints in order, in memory: each sees the stored candidates
the probe found for it and the batch's earlier complaints (through the same keys, box and
limit), and the groups they joined a moment ago. No I/O; detect.py reads and writes around
it, and the evaluation replays the labelled set through it as one batch."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from routing.hotspots.grouping import Member, choose
from routing.hotspots.lsh_index import Probe
from routing.hotspots.lsh_keys import CANDIDATE_LIMIT, POSTING_LIMIT, box, probe_keys, rank_key, stored_keys
from routing.hotspots.matching import Sighting
from routing.hotspots.rules import HotspotRules


def probe_of(new: Sighting, keys: Sequence[int], rules: HotspotRules) -> Probe:
    """A complaint's probe: its band keys placed in every cell its box overlaps."""
    b = box(new.lat, new.lon, new.at, rules)
    return Probe(new.complaint_id, probe_keys(new.category, b, keys, rules), b)


def own_keys(new: Sighting, keys: Sequence[int], rules: HotspotRules) -> list[int]:
    """The keys a complaint is stored under: its band keys placed in its own cell."""
    return stored_keys(new.category, new.lat, new.lon, keys, rules)


@dataclass
class BatchGrouping:
    """Joins in the order they happened: (group id, complaint id); `new_groups` (id ->
    category) were formed by this batch; `moved` are stored, ungrouped sightings pulled into a group."""

    rules: HotspotRules
    joins: list[tuple[UUID, UUID]] = field(default_factory=list)
    new_groups: dict[UUID, str] = field(default_factory=dict)
    moved: dict[UUID, UUID] = field(default_factory=dict)
    assigned: dict[UUID, UUID] = field(default_factory=dict)
    _index: dict[int, list[Sighting]] = field(default_factory=lambda: defaultdict(list))

    def add(
        self, new: Sighting, probe: Probe, stored_under: Sequence[int], stored: Sequence[tuple[Member, int]]
    ) -> UUID | None:
        """Place one new complaint, given its probe, the keys it is stored under and the stored
        candidates with the number of keys each shares; returns its group (None: alone so far)."""
        found: dict[UUID, tuple[Member, int]] = {}
        for member, shared in stored:
            cid = member.sighting.complaint_id
            found[cid] = (Member(member.sighting, self.assigned.get(cid, member.group_id)), shared)
        shared_with: Counter[UUID] = Counter()
        earlier_of: dict[UUID, Sighting] = {}
        t0, t1 = probe.box.at
        for key in probe.keys:
            # As the stored probe reads a posting list: its latest POSTING_LIMIT in the window.
            posted = [e for e in self._index.get(key, ()) if t0 <= e.at <= t1][-POSTING_LIMIT:]
            for earlier in posted:
                shared_with[earlier.complaint_id] += 1
                earlier_of[earlier.complaint_id] = earlier
        for cid, shared in shared_with.items():
            earlier = earlier_of[cid]
            if probe.box.holds(earlier.lat, earlier.lon, earlier.at):
                found[cid] = (Member(earlier, self.assigned.get(cid)), shared)
        ranked = sorted(
            found.values(), key=lambda f: rank_key(f[1], f[0].sighting.at, f[0].sighting.complaint_id)
        )
        candidates = [member for member, _ in ranked[:CANDIDATE_LIMIT]]
        choice = choose(new, candidates, self.rules)
        group_id = choice.group_id
        if group_id is None and choice.partners:
            group_id = uuid.uuid4()
            self.new_groups[group_id] = new.category
        if group_id is not None:
            by_id = {m.sighting.complaint_id: m for m in candidates}
            stored_ids = {m.sighting.complaint_id for m, _ in stored}
            for cid in (*sorted(choice.partners, key=lambda c: by_id[c].sighting.at), new.complaint_id):
                if cid in self.assigned:
                    continue
                self.assigned[cid] = group_id
                self.joins.append((group_id, cid))
                if cid in stored_ids:
                    self.moved[cid] = group_id
        for key in stored_under:
            self._index[key].append(new)
        return group_id
