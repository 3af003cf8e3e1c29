"""Hot spots: the labelled set meets its spec, and the real algorithm meets the quality goal
on it (pairwise precision >= 0.9, recall >= 0.8; docs/hotspots.md)."""

from __future__ import annotations

import json
import runpy
from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from routing.domain.categories import CATEGORIES
from routing.hotspots.evaluation import DEFAULT_SET, evaluate, load, render
from routing.hotspots.rules import HotspotRules

CITY = Path(__file__).resolve().parents[3] / "services/routing/routing/demo_city.geojson"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in DEFAULT_SET.read_text(encoding="utf-8").splitlines()]


def test_the_labelled_set_is_big_enough_and_valid(rows: list[dict[str, object]]) -> None:
    sizes = Counter(str(r["matter"]) for r in rows)
    assert len(rows) >= 300
    assert sum(1 for n in sizes.values() if n >= 2) >= 40
    assert sum(1 for n in sizes.values() if n == 1) >= 20  # singletons
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["category"] for r in rows} <= set(CATEGORIES)
    assert len({r["text"] for r in rows}) == len(rows)  # no copied text


def test_every_complaint_lies_inside_the_demo_city(rows: list[dict[str, object]]) -> None:
    features = json.loads(CITY.read_text(encoding="utf-8"))["features"]
    city = unary_union([shape(f["geometry"]) for f in features if f["geometry"]])
    outside = [r["id"] for r in rows if not city.contains(Point(r["lon"], r["lat"]))]
    assert outside == []


def test_the_committed_jsonl_is_what_the_script_writes(rows: list[dict[str, object]], tmp_path: Path) -> None:
    script = runpy.run_path(str(DEFAULT_SET.parent / "make_labelled.py"))
    assert script["rows"]() == rows


def test_the_algorithm_meets_the_quality_goal_on_the_labelled_set() -> None:
    rules = HotspotRules()
    report = evaluate(load(), rules)
    print(render(report, rules))
    assert report.true_pairs > 500 and report.predicted_pairs > 0
    assert report.precision >= 0.9, render(report, rules)
    assert report.recall >= 0.8, render(report, rules)
    assert report.hotspots_found >= 0.75 * report.hotspot_matters
