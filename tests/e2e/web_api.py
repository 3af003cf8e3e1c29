"""Setting the scene over the JSON APIs (what another person or an admin did before the
browser looks): staff tokens, users of other stations, seconds-long SLA policies, filings."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from huiyin.devstack.stack import Stack
from routing.demo import DEMO_PASSWORD


async def token(system: Stack, username: str, password: str = DEMO_PASSWORD) -> str:
    async with httpx.AsyncClient(base_url=system.url("routing"), timeout=10) as client:
        r = await client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


async def create_station_user(system: Stack, username: str, unit_id: str, password: str) -> None:
    """An officer of another station (the demo city seeds one station's staff only)."""
    admin = await token(system, "demo.admin")
    body = {"username": username, "password": password, "role": "officer", "unit_id": unit_id}
    async with httpx.AsyncClient(base_url=system.url("routing"), timeout=10) as client:
        r = await client.post("/api/v1/users", json=body, headers={"Authorization": f"Bearer {admin}"})
    assert r.status_code in (201, 409), r.text


async def seconds_policy(system: Stack, category: str, *, ack_s: float, resolve_s: float) -> None:
    """A wall-clock policy of a few seconds for one category (routing's SLA admin API)."""
    admin = await token(system, "demo.admin")
    body = {
        "ack_within_s": ack_s,
        "resolve_within_s": resolve_s,
        "warn_at": 0.5,
        "calendar": "24x7",
        "escalate_after": [0.0, 1.0],
    }
    async with httpx.AsyncClient(base_url=system.url("routing"), timeout=10) as client:
        r = await client.put(
            f"/api/v1/admin/sla/policies/{category}/normal",
            json=body,
            headers={"Authorization": f"Bearer {admin}"},
        )
    assert r.status_code == 200, r.text


async def file_complaint(
    system: Stack, category: str, lat: float, lon: float, description: str
) -> dict[str, Any]:
    body = {"category": category, "description": description, "location": {"lat": lat, "lon": lon}}
    async with httpx.AsyncClient(base_url=system.url("intake"), timeout=10) as client:
        r = await client.post("/api/v1/complaints", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def wait_routed(system: Stack, complaint_id: str, timeout: float = 30) -> dict[str, Any]:
    """Until routing has the complaint (read as supervision, who sees every unit)."""
    staff = await token(system, "demo.supervision")
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=system.url("routing"), timeout=10) as client:
        while True:
            r = await client.get(
                f"/api/v1/assignments/{complaint_id}", headers={"Authorization": f"Bearer {staff}"}
            )
            if r.status_code == 200:
                return dict(r.json())
            assert time.monotonic() < deadline, f"not routed within {timeout}s: {r.status_code} {r.text}"
            await asyncio.sleep(0.3)
