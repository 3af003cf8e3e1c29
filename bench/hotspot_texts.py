"""Complaint texts and places for the hot-spot part: new texts recombined from the labelled
set's clauses (tests/data/hotspots), so the vocabulary, the concepts and the boilerplate are
those the detector was tuned on, and points uniform over the demo city."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape

from bench.bodies import sample_points
from routing.demo import demo_units

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "hotspots" / "labelled.jsonl"
_CLAUSE = re.compile(r"[^，。,.！!？?；;]+[，。,.！!？?；;]?")


@dataclass(frozen=True)
class Draft:
    category: str
    text: str


def _clauses_by_category() -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.setdefault(row["category"], []).append(_CLAUSE.findall(row["text"]))
    return out


def drafts(n: int, rng: random.Random) -> list[Draft]:
    """`n` texts: a labelled text's first clauses, then one clause of another text of the
    same category (so texts repeat words and concepts without repeating whole texts), in
    the labelled set's category mix."""
    by_category = _clauses_by_category()
    weighted = [c for c, texts in by_category.items() for _ in texts]
    out = []
    for _ in range(n):
        category = rng.choice(weighted)
        base, other = rng.choice(by_category[category]), rng.choice(by_category[category])
        head = base[: max(1, len(base) - 1)]
        out.append(Draft(category, "".join(head) + rng.choice(other)))
    return out


def city_points(n: int, rng: random.Random) -> list[tuple[float, float]]:
    """(lat, lon) uniform over the demo city's jurisdictions (the city routing is seeded with)."""
    area = shapely.union_all([shape(u["jurisdiction"]) for u in demo_units() if u.get("jurisdiction")])
    return sample_points(area, n, rng)
