"""The three services in-process on real PostgreSQL and Kafka (one topic prefix), with the
demo city seeded and SLA durations shrunk to seconds, for the operations tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from feedback.entrypoints.app import create_app as feedback_app
from feedback.settings import FeedbackSettings
from intake.entrypoints.app import create_app as intake_app
from intake.settings import IntakeSettings
from routing import demo
from routing.entrypoints.app import create_app as routing_app
from routing.settings import RoutingSettings
from routing.sla.config import SlaSettings
from tests.integration.routing.routing_harness import inside
from tests.support.apps import running
from tests.support.infra import Infra

SERVICES = ("intake", "routing", "feedback")
STATION = demo.DEMO_STATION


@dataclass
class Services:
    apps: dict[str, FastAPI]
    clients: dict[str, httpx.AsyncClient]
    dbs: dict[str, str]
    prefix: str

    async def file_complaint(self, **headers: str) -> dict[str, Any]:
        r = await self.clients["intake"].post(
            "/api/v1/complaints",
            headers=headers,
            json={
                "category": "noise",
                "description": "楼下烧烤店每晚营业到凌晨两点，噪音很大，多次投诉无果。",
                "location": inside(STATION),
            },
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def scrape(self, service: str) -> str:
        r = await self.clients[service].get("/metrics")
        assert r.status_code == 200, r.text
        return r.text


@asynccontextmanager
async def three_services(
    infra: Infra, prefix: str, *, otel: bool = False, sla_scale: float = 1.0
) -> AsyncIterator[Services]:
    dbs = {s: infra.create_database(s) for s in SERVICES}
    await demo.seed(dbs["routing"])
    common: dict[str, Any] = {
        "kafka_bootstrap_servers": infra.kafka_bootstrap,
        "kafka_topic_prefix": prefix,
        "environment": "test",
        "outbox_idle_poll_s": 0.2,
        "log_json": False,
        "log_level": "WARNING",
        "otel_enabled": otel,
        "otel_traces_exporter": "none",  # the tests add their own in-memory exporter
    }
    sla = SlaSettings(scale=sla_scale, force_24x7=sla_scale != 1.0, max_sleep_s=0.2, status_refresh_s=0.5)
    apps = {
        "intake": intake_app(IntakeSettings(database_url=dbs["intake"], **common)),
        "routing": routing_app(RoutingSettings(database_url=dbs["routing"], **common), sla_settings=sla),
        "feedback": feedback_app(
            FeedbackSettings(database_url=dbs["feedback"], feedback_expiry_poll_s=0.2, **common)
        ),
    }
    async with AsyncExitStack() as stack:
        clients = {s: await stack.enter_async_context(running(app)) for s, app in apps.items()}
        yield Services(apps, clients, dbs, prefix)
