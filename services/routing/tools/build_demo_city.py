"""Builds routing/demo_city.geojson: the fictional Huiyin City (汇音市), committed in the repo.

Four districts on a 4 x 4 grid of station areas between lon 120.00-120.30 and lat
30.20-30.40; every interior grid vertex and edge midpoint is jittered (seeded), and shared
by the neighbouring cells, so the station areas tile each district without overlaps or
gaps. A lake (镜湖) is a hole in the city: a point in it lies in no jurisdiction. Run:
    .venv/bin/python services/routing/tools/build_demo_city.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from shapely import Polygon, unary_union
from shapely.geometry import mapping

OUT = Path(__file__).resolve().parents[1] / "routing" / "demo_city.geojson"
LONS = [120.00, 120.075, 120.15, 120.225, 120.30]
LATS = [30.20, 30.25, 30.30, 30.35, 30.40]
rng = random.Random(2026)

DISTRICTS = {  # (column block, row block) -> (id, Chinese, English, station names)
    (0, 1): (
        "hubin",
        "湖滨区",
        "Hubin",
        [
            ("liulang", "柳浪", "Liulang"),
            ("hubin", "湖滨", "Hubin"),
            ("gushan", "孤山", "Gushan"),
            ("jinghu", "镜湖", "Jinghu"),
        ],
    ),
    (1, 1): (
        "zhonglou",
        "钟楼区",
        "Zhonglou",
        [
            ("mishi", "米市", "Mishi"),
            ("donghe", "东河", "Donghe"),
            ("gulou", "鼓楼", "Gulou"),
            ("zhonglou", "钟楼", "Zhonglou"),
        ],
    ),
    (0, 0): (
        "xiling",
        "西岭区",
        "Xiling",
        [
            ("yunqi", "云栖", "Yunqi"),
            ("zhuwu", "竹坞", "Zhuwu"),
            ("xiling", "西岭", "Xiling"),
            ("chayuan", "茶园", "Chayuan"),
        ],
    ),
    (1, 0): (
        "jiangnan",
        "江南区",
        "Jiangnan",
        [
            ("changhe", "长河", "Changhe"),
            ("xingang", "新港", "Xingang"),
            ("jiangnan", "江南", "Jiangnan"),
            ("binjiang", "滨江", "Binjiang"),
        ],
    ),
}


def jitter(value: float, edge: bool, amount: float) -> float:
    return value if edge else round(value + rng.uniform(-amount, amount), 5)


VERT = {
    (i, j): (jitter(LONS[i], i in (0, 4), 0.012), jitter(LATS[j], j in (0, 4), 0.008))
    for i in range(5)
    for j in range(5)
}


def midpoint(a: tuple[int, int], b: tuple[int, int], memo: dict = {}) -> tuple[float, float]:  # noqa: B006
    key = tuple(sorted((a, b)))
    if key not in memo:
        (x1, y1), (x2, y2) = VERT[a], VERT[b]
        on_edge = (a[0] == b[0] and a[0] in (0, 4)) or (a[1] == b[1] and a[1] in (0, 4))
        memo[key] = (jitter((x1 + x2) / 2, on_edge, 0.006), jitter((y1 + y2) / 2, on_edge, 0.005))
    return memo[key]


def cell(i: int, j: int) -> Polygon:
    corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
    ring = []
    for k, corner in enumerate(corners):
        ring += [VERT[corner], midpoint(corner, corners[(k + 1) % 4])]
    return Polygon(ring)


LAKE = Polygon(
    [
        (120.085, 30.315),
        (120.11, 30.31),
        (120.125, 30.325),
        (120.115, 30.34),
        (120.09, 30.338),
        (120.08, 30.327),
    ]
)


def feature(geom, **props) -> dict:
    return {
        "type": "Feature",
        "id": props["id"],
        "geometry": mapping(geom) if geom is not None else None,
        "properties": props,
    }


def unit(
    id, name, name_en, kind, parent_id=None, categories=(), calendar="workdays", phone="", address=""
) -> dict:
    contact = {k: v for k, v in (("phone", phone), ("address", address)) if v}
    return dict(
        id=id,
        name=name,
        name_en=name_en,
        kind=kind,
        parent_id=parent_id,
        categories=list(categories),
        contact=contact,
        calendar=calendar,
    )


def build() -> dict:
    features, everything = [], []
    features.append(
        feature(
            None,
            **unit(
                "dispatch",
                "汇音市公安局指挥中心",
                "Huiyin PSB Command & Dispatch Centre",
                "dispatch_desk",
                calendar="24x7",
                phone="0000-110",
            ),
        )
    )
    features.append(
        feature(
            None,
            **unit(
                "supervision",
                "汇音市公安局督察支队",
                "Huiyin PSB Inspection & Supervision Department",
                "supervision_department",
                phone="0000-12389",
            ),
        )
    )
    n = 0
    for (bx, by), (did, dzh, den, stations) in DISTRICTS.items():
        cells = [(2 * bx + dx, 2 * by + dy) for dy in (1, 0) for dx in (0, 1)]
        areas = []
        for (i, j), (sid, szh, sen) in zip(cells, stations, strict=True):
            area = cell(i, j).difference(LAKE)
            assert area.is_valid, sid
            areas.append(area)
            n += 1
            features.append(
                feature(
                    area,
                    **unit(
                        f"ps-{did}-{sid}",
                        f"{dzh[:-1]}分局{szh}派出所",
                        f"{sen} Police Station ({den})",
                        "police_station",
                        f"bureau-{did}",
                        phone=f"0000-8{n:03d}",
                        address=f"{dzh}{szh}路{n}号",
                    ),
                )
            )
        district = unary_union(areas)
        everything.append(district)
        features.insert(
            2,
            feature(
                district,
                **unit(
                    f"bureau-{did}",
                    f"汇音市公安局{dzh[:-1]}分局",
                    f"Huiyin PSB {den} District Bureau",
                    "district_bureau",
                    phone=f"0000-7{len(everything):03d}",
                ),
            ),
        )
    city = unary_union(everything)
    features.append(
        feature(
            city,
            **unit(
                "traffic-brigade",
                "汇音市公安局交通警察支队",
                "Huiyin Traffic Police Brigade",
                "traffic_brigade",
                categories=["traffic"],
                calendar="24x7",
                phone="0000-122",
            ),
        )
    )
    features.append(
        feature(
            None,
            **unit(
                "supervision-zhonglou",
                "钟楼分局督察大队",
                "Zhonglou Bureau Inspection Unit",
                "supervision_department",
                "bureau-zhonglou",
            ),
        )
    )
    gulou = next(f for f in features if f["id"] == "ps-zhonglou-gulou")
    from shapely.geometry import shape

    office = shape(gulou["geometry"]).centroid.buffer(0.01, quad_segs=4)
    assert shape(gulou["geometry"]).contains(office)
    features.append(
        feature(
            office,
            **unit(
                "cpo-gulou-xiaohe",
                "鼓楼派出所小河社区警务室",
                "Xiaohe Community Police Office",
                "community_police_office",
                "ps-zhonglou-gulou",
                categories=["noise", "neighbourhood_dispute", "household_registration"],
                address="钟楼区小河路1号",
            ),
        )
    )
    return {"type": "FeatureCollection", "name": "汇音市 Huiyin City (fictional)", "features": features}


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {OUT}")
