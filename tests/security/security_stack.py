"""The three services in-process on real PostgreSQL and Kafka (one topic prefix), and staff
tokens of every role, valid, expired or forged, issued as routing's sign-in would."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import EllipsisType
from typing import Any

import httpx
from fastapi import FastAPI

from feedback.entrypoints.app import create_app as feedback_app
from feedback.settings import FeedbackSettings
from huiyin.auth.tokens import Principal, Role, issue_token
from huiyin.settings import ServiceSettings
from intake.entrypoints.app import create_app as intake_app
from intake.settings import IntakeSettings
from routing import demo
from routing.entrypoints.app import create_app as routing_app
from routing.settings import RoutingSettings
from routing.sla.config import SlaSettings
from tests.support.apps import running
from tests.support.infra import Infra

SERVICES = ("intake", "routing", "feedback")
GULOU = demo.DEMO_STATION
# Each role's unit, as the demo users have them (admin belongs to no unit).
ROLE_UNITS: dict[Role, str | None] = {
    Role.OFFICER: GULOU,
    Role.STATION_HEAD: GULOU,
    Role.DISTRICT_SUPERVISOR: "bureau-zhonglou",
    Role.SUPERVISION: "supervision",
    Role.DISPATCH: "dispatch",
    Role.ADMIN: None,
}
KINDS: dict[str, type[ServiceSettings]] = {
    "intake": IntakeSettings,
    "routing": RoutingSettings,
    "feedback": FeedbackSettings,
}
FORGED_SECRET = "not-the-service-key-but-long-enough-0123456789"


@dataclass
class Services:
    apps: dict[str, FastAPI]
    clients: dict[str, httpx.AsyncClient]
    settings: dict[str, ServiceSettings]

    def token(
        self,
        role: Role,
        *,
        unit: str | EllipsisType | None = ...,
        user: str | None = None,
        secret: str | None = None,
        issued: datetime | None = None,
        ttl_s: int = 600,
    ) -> str:
        principal = Principal(
            user_id=user or f"u-{role.value}",
            username=f"demo-{role.value}",
            role=role,
            unit_id=ROLE_UNITS[role] if isinstance(unit, EllipsisType) else unit,
        )
        key = secret or next(iter(self.settings.values())).jwt_secret
        return issue_token(secret=key, principal=principal, now=issued or datetime.now(UTC), ttl_s=ttl_s)

    def bearer(self, role: Role, **kw: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, **kw)}"}

    def expired(self, role: Role = Role.SUPERVISION) -> dict[str, str]:
        return self.bearer(role, issued=datetime.now(UTC) - timedelta(hours=2), ttl_s=60)

    def forged(self, role: Role = Role.SUPERVISION) -> dict[str, str]:
        return self.bearer(role, secret=FORGED_SECRET)


def build_settings(service: str, infra: Infra, topic_prefix: str, **overrides: Any) -> ServiceSettings:
    fields: dict[str, Any] = {
        "database_url": overrides.get("database_url") or infra.create_database(service),
        "kafka_bootstrap_servers": infra.kafka_bootstrap,
        "kafka_topic_prefix": topic_prefix,
        "environment": "test",
        "outbox_idle_poll_s": 0.2,
        "log_json": False,
        **overrides,
    }
    return KINDS[service](**fields)


def offline_app(service: str) -> FastAPI:
    """The app as built, never started: enough to walk its routes and read its OpenAPI."""
    return build_app(service, KINDS[service](environment="test"))


def build_app(service: str, settings: ServiceSettings) -> FastAPI:
    if service == "intake":
        return intake_app(settings)  # type: ignore[arg-type]
    if service == "routing":
        sla = SlaSettings(max_sleep_s=0.2, status_refresh_s=0.5)
        return routing_app(settings, sla_settings=sla)  # type: ignore[arg-type]
    return feedback_app(settings)  # type: ignore[arg-type]


@asynccontextmanager
async def start_services(
    infra: Infra,
    topic_prefix: str,
    services: Iterable[str] = SERVICES,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> AsyncIterator[Services]:
    """Fresh migrated databases (routing seeded with the demo city and users), the apps'
    lifespans running (relays, consumers, loops), and an HTTP client to each."""
    started = Services({}, {}, {})
    async with AsyncExitStack() as stack:
        for service in services:
            settings = build_settings(service, infra, topic_prefix, **(overrides or {}).get(service, {}))
            if service == "routing":
                await demo.seed(settings.database_url)  # idempotent
            app = build_app(service, settings)
            started.settings[service], started.apps[service] = settings, app
            started.clients[service] = await stack.enter_async_context(running(app))
        yield started


def concrete(path: str, role: Role | None) -> str:
    """The path with made-up values: ids that exist nowhere, the caller's own unit."""
    unit = (ROLE_UNITS[role] if role else GULOU) or "ps-no-such-unit"
    values = {
        "complaint_id": str(uuid.uuid4()),
        "user_id": str(uuid.uuid4()),
        "service_request_id": str(uuid.uuid4()),
        "tracking_code": "HY-NOSUCH00",
        "token": "no-such-token",
        "unit_id": unit,
        "category": "noise",
        "priority": "normal",
        "year": "2031",
        "fmt": "json",
        "service_code": "noise",
        "name": "no-such-file.css",
        "month": "2031-01",
        "hotspot_id": str(uuid.uuid4()),
    }
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
