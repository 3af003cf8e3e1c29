"""`make up` (Stack.up) brings all three services to ready on real Kafka and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest

from huiyin.devstack.stack import SERVICES, Stack

pytestmark = pytest.mark.e2e


def test_all_three_services_are_ready(system: Stack) -> None:
    for service in SERVICES:
        response = httpx.get(system.url(service) + "/ready", timeout=10)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["service"] == service
        assert body["database"] == {"ok": True}
        assert body["kafka"] == {"ok": True}
        assert body["loops"]["outbox-relay"]["state"] == "running"
