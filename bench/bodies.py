"""Filing bodies at points all over the demo city, as routing has it seeded.

The city is the union of the jurisdictions in routing's `routing_units`, read after the
demo data is loaded, so the points follow whatever city the repo ships. Points are drawn
uniformly over the city's area; categories, texts, channels and contacts vary.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import shapely
from shapely.geometry import shape

from intake.domain.categories import CODES

_STREETS = (
    "中山路",
    "解放路",
    "延安路",
    "湖滨路",
    "庆春路",
    "凤起路",
    "体育场路",
    "文三路",
    "江南大道",
    "滨江路",
)
_WHAT = (
    "深夜施工噪音严重，影响附近居民休息，多次反映未见处理。",
    "路口信号灯长时间故障，早晚高峰车辆拥堵，存在安全隐患。",
    "小区门口有人聚集赌博，情况已持续一周，请派员查处。",
    "办理户籍迁移时窗口工作人员态度生硬，材料要求前后不一。",
    "接到冒充客服的电话被骗转账，已保留转账记录，请求立案。",
    "电动车在楼道内被盗，监控显示有陌生人进入，请协助调查。",
    "邻居长期占用公共通道堆放杂物，协商无果，请求调解。",
    "The street lights on this block have been out for a week and there were two thefts since.",
    "Motorbikes race along this road every night after midnight; residents cannot sleep.",
)


def city_area(routing_dsn: str) -> Any:
    with psycopg.connect(routing_dsn) as conn:
        rows = conn.execute(
            "SELECT jurisdiction FROM routing_units WHERE jurisdiction IS NOT NULL AND retired_at IS NULL"
        ).fetchall()
    areas = [shape(r[0]) for r in rows if r[0]]
    if not areas:
        raise RuntimeError("routing has no jurisdictions: was the demo city seeded?")
    return shapely.union_all(areas)


def sample_points(area: Any, n: int, rng: random.Random) -> list[tuple[float, float]]:
    """`n` (lat, lon) points uniform over `area` (rejection sampling in its bounding box)."""
    min_x, min_y, max_x, max_y = area.bounds
    shapely.prepare(area)
    gen = np.random.default_rng(rng.getrandbits(64))
    found: list[tuple[float, float]] = []
    while len(found) < n:
        xs = gen.uniform(min_x, max_x, 4 * n)
        ys = gen.uniform(min_y, max_y, 4 * n)
        inside = shapely.contains_xy(area, xs, ys)
        found.extend((float(y), float(x)) for x, y in zip(xs[inside], ys[inside], strict=True))
    return found[:n]


def filing_body(lat: float, lon: float, rng: random.Random) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": rng.choice(CODES),
        "description": f"{rng.choice(_WHAT)} 编号{rng.randrange(10**6):06d}。",
        "location": {
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "address": f"汇音市{rng.choice(_STREETS)}{rng.randrange(1, 999)}号",
        },
        "channel": rng.choice(("web", "web", "app", "api")),
        "priority": "urgent" if rng.random() < 0.1 else "normal",
    }
    if rng.random() < 0.3:  # named filers: contact encrypted and keyed for duplicate checks
        body["contact"] = {"name": "张先生", "phone": f"1{rng.randrange(3, 10)}{rng.randrange(10**9):09d}"}
    return body


def write_bodies(routing_dsn: str, n: int, path: Path, *, seed: int = 12) -> int:
    rng = random.Random(seed)
    points = sample_points(city_area(routing_dsn), n, rng)
    with path.open("w", encoding="utf-8") as f:
        for lat, lon in points:
            f.write(json.dumps(filing_body(lat, lon, rng), ensure_ascii=False) + "\n")
    return len(points)
