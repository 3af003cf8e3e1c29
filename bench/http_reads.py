"""Latency of a read endpoint: requests one at a time (closed loop, so each one measures
the query alone, not a queue), after a few unmeasured warm-up requests."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import httpx

from bench.stats import distribution
from huiyin.auth.tokens import Principal, Role, issue_token
from huiyin.settings import ServiceSettings

WARM_UP = 5


def supervision_token() -> str:
    """A supervision (city-wide) token signed with the secret the stack's services use
    (they read JWT_SECRET from the same environment as this process)."""
    principal = Principal(user_id="bench", username="bench", role=Role.SUPERVISION, unit_id="supervision")
    return issue_token(
        secret=ServiceSettings().jwt_secret, principal=principal, now=datetime.now(UTC), ttl_s=3600
    )


def latency(url: str, params: dict[str, str], *, requests: int, token: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    times, size = [], 0
    with httpx.Client(headers=headers, timeout=60) as client:
        for i in range(WARM_UP + requests):
            started = time.perf_counter()
            r = client.get(url, params=params)
            took = (time.perf_counter() - started) * 1000
            if r.status_code != 200:
                raise RuntimeError(f"GET {url} {params}: {r.status_code} {r.text[:300]}")
            if i >= WARM_UP:
                times.append(took)
                size = len(r.content)
    return {"latency_ms": distribution(times), "bytes": size, "items": _items(r.json())}


def _items(body: dict[str, Any]) -> int:
    if "items" in body:
        return len(body["items"])
    return len(body.get("ranked", [])) + len(body.get("unranked", []))
