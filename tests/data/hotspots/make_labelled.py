"""Write labelled.jsonl from the hand-written matters (run from the repo root):

    .venv/bin/python tests/data/hotspots/make_labelled.py

Places, times and citizens come from a seeded random generator, so the output is stable.
"""

from __future__ import annotations

import json
import math
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from matters_a import MATTERS_A  # noqa: E402
from matters_b import MATTERS_B, SINGLETONS  # noqa: E402

# Centres (lat, lon) inside 汇音市 (services/routing/routing/demo_city.geojson).
PLACES = {
    "P1": (30.270, 120.180),  # 长河路夜市, 江南分局长河派出所
    "P1far": (30.265, 120.196),  # 滨河路东段, ~1.6 km east of P1
    "P2": (30.330, 120.185),  # 鼓楼小河社区
    "P2far": (30.341, 120.176),  # 鼓楼公园, ~1.5 km north-west of P2
    "P3": (30.370, 120.110),  # 湖滨广场
    "P4": (30.280, 120.260),  # 新港工业区
    "P5": (30.220, 120.100),  # 西岭茶园路
    "P6": (30.320, 120.250),  # 钟楼步行街
    "P7": (30.270, 120.040),  # 云栖小区
    "P8": (30.230, 120.260),  # 滨江学府路
    "P9": (30.380, 120.190),  # 米市巷
    "P10": (30.320, 120.040),  # 孤山公园
    "P11": (30.280, 120.110),  # 竹坞新村
    "P12": (30.370, 120.270),  # 东河菜市场
}
JITTER_M = 180.0  # every complaint of a matter lies within this of the centre: pairs <= 360 m
SPREAD = timedelta(days=5)  # a matter's complaints arrive over at most this long
START = datetime(2025, 4, 1, tzinfo=timezone(timedelta(hours=8)))


def jitter(rng: random.Random, place: str) -> tuple[float, float]:
    lat, lon = PLACES[place]
    r, theta = JITTER_M * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    dlat = r * math.cos(theta) / 111_195.0
    dlon = r * math.sin(theta) / (111_195.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def rows() -> list[dict[str, object]]:
    rng = random.Random(13)
    out: list[dict[str, object]] = []
    citizens = 0

    def new_citizen() -> str:
        nonlocal citizens
        citizens += 1
        return f"c{citizens:03d}"

    def add(matter: str, category: str, place: str, day: int, text: str, who: str | None) -> None:
        at = START + timedelta(days=day) + rng.random() * SPREAD
        lat, lon = jitter(rng, place)
        out.append(
            {
                "id": f"h{len(out) + 1:03d}",
                "matter": matter,
                "category": category,
                "text": text,
                "lat": lat,
                "lon": lon,
                "at": at.isoformat(timespec="seconds"),
                "citizen": who,
            }
        )

    for matter, category, place, day, texts in MATTERS_A + MATTERS_B:
        seen: list[str] = []
        for text in texts:
            roll = rng.random()
            if seen and roll < 0.15:  # the same citizen complains again
                who: str | None = rng.choice(seen)
            elif roll < 0.25:  # anonymous, no contact
                who = None
            else:
                who = new_citizen()
                seen.append(who)
            add(matter, category, place, day, text, who)
    for n, (category, place, day, text) in enumerate(SINGLETONS, start=1):
        add(f"s{n:02d}-single", category, place, day, text, new_citizen())
    return out


if __name__ == "__main__":
    lines = [json.dumps(row, ensure_ascii=False) for row in rows()]
    (HERE / "labelled.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} complaints")
