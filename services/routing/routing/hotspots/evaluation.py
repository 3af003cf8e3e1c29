"""Replay the labelled set through the real algorithm and measure pairwise precision/recall.

    .venv/bin/python -m routing.hotspots.evaluation [path/to/labelled.jsonl]

The replay does what the routing service does, in submission order, through the same
in-memory grouping (batch.BatchGrouping, the whole set as one batch): fingerprint -> band
keys placed in the category and the cells around the point -> candidates = earlier
complaints sharing a key within the box and window, at most CANDIDATE_LIMIT ->
grouping.choose. So LSH misses and the limit count against recall.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from pathlib import Path
from uuid import NAMESPACE_URL, UUID, uuid5

from routing.hotspots.batch import BatchGrouping, own_keys, probe_of
from routing.hotspots.grouping import citizen_count
from routing.hotspots.lsh_keys import CANDIDATE_LIMIT
from routing.hotspots.matching import Sighting, near
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import BANDS, NUM_PERM, ROWS, band_keys, fingerprint

DEFAULT_SET = Path(__file__).resolve().parents[4] / "tests" / "data" / "hotspots" / "labelled.jsonl"


@dataclass(frozen=True)
class Labelled:
    sighting: Sighting
    matter: str


@dataclass(frozen=True)
class Report:
    complaints: int
    matters: int
    predicted_pairs: int  # pairs put in one group
    correct_pairs: int  # ... of which are the same matter
    true_pairs: int  # same-matter pairs within the rules (category, radius, window)
    found_pairs: int  # ... of which were put in one group
    hotspot_matters: int  # matters big enough to be a hot spot (rules.reached)
    hotspots_found: int  # ... for which a detected group is mostly that matter
    impure_hotspots: int  # detected groups with a member of another matter

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.found_pairs / self.true_pairs if self.true_pairs else 1.0


def load(path: Path = DEFAULT_SET) -> list[Labelled]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        sighting = Sighting(
            complaint_id=uuid5(NAMESPACE_URL, f"huiyin-hotspot-eval:{row['id']}"),
            category=row["category"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            at=datetime.fromisoformat(row["at"]),
            citizen_ref=row["citizen"],
            print=fingerprint(row["text"]),
        )
        items.append(Labelled(sighting=sighting, matter=row["matter"]))
    return items


def replay(items: list[Labelled], rules: HotspotRules) -> dict[UUID, UUID]:
    """Complaint id -> group id, for every complaint that ended up in a group."""
    grouping = BatchGrouping(rules)
    for item in sorted(items, key=lambda i: (i.sighting.at, str(i.sighting.complaint_id))):
        new = item.sighting
        keys = band_keys(new.print)
        grouping.add(new, probe_of(new, keys, rules), own_keys(new, keys, rules), [])
    return dict(grouping.assigned)


def evaluate(items: list[Labelled], rules: HotspotRules) -> Report:
    group_of = replay(items, rules)
    predicted = correct = true = found = 0
    for a, b in combinations(items, 2):
        same_group = group_of.get(a.sighting.complaint_id, 0) == group_of.get(b.sighting.complaint_id, 1)
        same_matter = a.matter == b.matter
        predicted += same_group
        correct += same_group and same_matter
        if same_matter and near(a.sighting, b.sighting, rules):
            true += 1
            found += same_group
    return Report(
        len(items),
        len({i.matter for i in items}),
        predicted,
        correct,
        true,
        found,
        *_hotspots(items, group_of, rules),
    )


def _hotspots(items: list[Labelled], group_of: dict[UUID, UUID], rules: HotspotRules) -> tuple[int, int, int]:
    def big(members: list[Labelled]) -> bool:
        refs = [m.sighting.citizen_ref for m in members]
        return rules.reached(len(members), citizen_count(refs))

    by_matter: dict[str, list[Labelled]] = defaultdict(list)
    by_group: dict[UUID, list[Labelled]] = defaultdict(list)
    for item in items:
        by_matter[item.matter].append(item)
        if item.sighting.complaint_id in group_of:
            by_group[group_of[item.sighting.complaint_id]].append(item)
    should = {m for m, members in by_matter.items() if big(members)}
    detected = [g for g in by_group.values() if big(g)]
    found = set()
    for group in detected:
        matters = [m.matter for m in group]
        found.add(max(set(matters), key=matters.count))
    impure = sum(1 for g in detected if len({m.matter for m in g}) > 1)
    return len(should), len(should & found), impure


def render(report: Report, rules: HotspotRules) -> str:
    return "\n".join(
        [
            f"labelled set: {report.complaints} complaints, {report.matters} matters (incl. singletons)",
            f"rules: radius {rules.radius_m:.0f} m, window {rules.window}, text threshold "
            f"{rules.text_threshold}, group share {rules.group_share}; MinHash {NUM_PERM} perms, {BANDS} bands of {ROWS}, "
            f"at most {CANDIDATE_LIMIT} candidates",
            f"pairs put together: {report.predicted_pairs}, of which same matter: {report.correct_pairs}",
            f"same-matter pairs within the rules: {report.true_pairs}, of which put together: {report.found_pairs}",
            f"precision {report.precision:.3f}  recall {report.recall:.3f}",
            f"hot spots: {report.hotspots_found} of {report.hotspot_matters} hot-spot-sized matters detected, "
            f"{report.impure_hotspots} detected groups mixed in another matter",
        ]
    )


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SET
    rules = HotspotRules()
    print(render(evaluate(load(path), rules), rules))
