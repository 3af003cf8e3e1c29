"""Helpers to drive the running system over HTTP like its users do."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from huiyin.devstack.stack import Stack

DEMO_PASSWORD = "huiyin-demo-2026"  # demo-only users seeded by routing.demo (README)
DEMO_STATION = "ps-zhonglou-gulou"
T = TypeVar("T")


def sign_in(stack: Stack, username: str) -> dict[str, str]:
    r = httpx.post(
        stack.url("routing") + "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
    )
    r.raise_for_status()
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def point_only_in(stack: Stack, unit_id: str, headers: dict[str, str]) -> Point:
    """A point inside `unit_id`'s jurisdiction and no other unit's (so routing is unambiguous)."""
    features = httpx.get(stack.url("routing") + "/api/v1/units.geojson", headers=headers).json()["features"]
    own = next(shape(f["geometry"]) for f in features if f["properties"]["id"] == unit_id)
    others = unary_union(
        [
            shape(f["geometry"])
            for f in features
            if f["geometry"]
            and f["properties"]["id"] != unit_id
            and f["properties"]["kind"] not in ("district_bureau", "traffic_brigade")
        ]
    )
    return own.difference(others).representative_point()


def wait_for(probe: Callable[[], T], until: Callable[[T], bool], timeout: float = 20.0) -> T:
    deadline = time.monotonic() + timeout
    value = probe()
    while not until(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout}s: {value!r}")
        time.sleep(0.1)
        value = probe()
    return value


def citizen_view(stack: Stack, code: str, token: str) -> dict[str, Any]:
    r = httpx.get(stack.url("intake") + f"/api/v1/complaints/{code}", headers={"X-Access-Token": token})
    r.raise_for_status()
    return dict(r.json())
