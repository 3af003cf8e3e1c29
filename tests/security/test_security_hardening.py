"""Hardening: security headers on every response, CORS closed unless configured, no stack
trace in any response, development keys refused in production."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter

from feedback.settings import FeedbackSettings
from huiyin.auth import access
from huiyin.auth.routes import route_rules
from huiyin.auth.tokens import Role
from huiyin.http.app import create_service_app
from huiyin.runtime import build_runtime
from huiyin.settings import DEV_JWT_SECRET, DEV_PII_KEY, ServiceSettings
from intake.settings import DEV_CITIZEN_REF_KEY, DEV_CONTACT_HMAC_KEY, DEV_OPEN311_API_KEY, IntakeSettings
from routing.settings import RoutingSettings
from tests.security.security_stack import SERVICES, Services, concrete, start_services
from tests.support.infra import Infra

REQUIRED_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
REAL_JWT = "a-real-production-secret-of-enough-length-0123456789"
REAL_PII = "k9:" + base64.b64encode(b"p" * 32).decode()
REAL_HMAC = base64.b64encode(b"h" * 32).decode()
REAL_CITIZEN_REF = base64.b64encode(b"r" * 32).decode()


def missing_headers(response: httpx.Response) -> list[str]:
    missing = [k for k, v in REQUIRED_HEADERS.items() if response.headers.get(k) != v]
    if "frame-ancestors 'none'" not in response.headers.get("content-security-policy", ""):
        missing.append("content-security-policy")
    return missing


@pytest.fixture
async def stack(infra: Infra, topic_prefix: str) -> AsyncIterator[Services]:
    async with start_services(infra, topic_prefix) as services:
        yield services


@pytest.mark.integration
async def test_every_route_answers_with_the_security_headers(stack: Services) -> None:
    bare: list[str] = []
    checked = 0
    for service in SERVICES:
        client = stack.clients[service]
        for rule in route_rules(stack.apps[service]):
            for method in rule.methods:
                # Anonymous (401 / 404 / 422 / a page) and as a role the route admits (200s).
                role = rule.roles[0] if rule.roles else Role.SUPERVISION
                for headers in ({}, stack.bearer(role)):
                    body = None if method == "GET" else {}
                    r = await client.request(method, concrete(rule.path, role), headers=headers, json=body)
                    checked += 1
                    if missing := missing_headers(r):
                        bare.append(f"{service} {method} {rule.path} -> {r.status_code}: {missing}")
        # And the answers no route gives: unknown path, wrong method, body too large.
        extra = [
            await client.get("/no/such/path"),
            await client.delete("/health"),
            await client.post("/api/v1/complaints", content=b"x" * (8 * 1024 * 1024)),
        ]
        assert [r.status_code for r in extra] == [404, 405, 413]
        bare += [
            f"{service} {r.request.method} {r.url.path}: {missing_headers(r)}"
            for r in extra
            if missing_headers(r)
        ]
    assert checked > 150
    assert bare == [], "\n".join(bare)


def app_with(settings: ServiceSettings, router: APIRouter | None = None) -> httpx.AsyncClient:
    app = create_service_app(
        title="probe", runtime=build_runtime(settings), routers=[router] if router else []
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_cors_is_closed_unless_origins_are_configured() -> None:
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    async with app_with(ServiceSettings(environment="test", cors_allow_origins="")) as client:
        simple = await client.get("/health", headers={"Origin": "https://evil.example"})
        options = await client.options("/health", headers=preflight)
    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers
    assert "access-control-allow-origin" not in options.headers
    assert options.status_code in (404, 405)  # nothing answers a preflight at all

    page = "http://127.0.0.1:8001"
    async with app_with(ServiceSettings(environment="test", cors_allow_origins=page)) as client:
        allowed = await client.get("/health", headers={"Origin": page})
        other = await client.get("/health", headers={"Origin": "https://evil.example"})
        refused = await client.options("/health", headers=preflight)
    assert allowed.headers["access-control-allow-origin"] == page
    assert "access-control-allow-origin" not in other.headers
    assert "access-control-allow-origin" not in refused.headers
    assert missing_headers(refused) == [], "a refused preflight is an answer too"


async def test_an_unexpected_error_is_a_500_without_a_stack_trace(capsys: pytest.CaptureFixture[str]) -> None:
    router = APIRouter(dependencies=[access.public()])

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals at /srv/huiyin/db.py: SELECT * FROM intake_complaints")

    async with app_with(ServiceSettings(environment="test", log_json=True), router) as client:
        r = await client.get("/boom")
    assert r.status_code == 500
    assert set(r.json()) == {"detail", "request_id"} and r.json()["detail"] == "internal error"
    for leak in ("Traceback", "RuntimeError", "secret internals", "db.py", "SELECT"):
        assert leak not in r.text
    assert missing_headers(r) == []
    log = capsys.readouterr().err
    assert "Traceback" in log and r.json()["request_id"] in log  # the trace went to the log


@pytest.mark.parametrize("kind", [IntakeSettings, RoutingSettings, FeedbackSettings])
def test_every_service_refuses_the_development_keys_in_production(kind: type[ServiceSettings]) -> None:
    real = {"jwt_secret": REAL_JWT, "pii_keys": REAL_PII}
    if kind is IntakeSettings:
        real |= {
            "contact_hmac_key": REAL_HMAC,
            "citizen_ref_key": REAL_CITIZEN_REF,
            "open311_api_keys": "a-real-open311-key",
        }
    assert kind(environment="production", **real).environment == "production"
    with pytest.raises(ValueError, match="JWT_SECRET"):
        kind(environment="production", **(real | {"jwt_secret": DEV_JWT_SECRET}))
    with pytest.raises(ValueError, match="PII_KEYS"):
        kind(environment="production", **(real | {"pii_keys": f"k9:{REAL_PII[3:]},k1:{DEV_PII_KEY}"}))


def test_intake_refuses_its_own_development_keys_in_production() -> None:
    real = {
        "jwt_secret": REAL_JWT,
        "pii_keys": REAL_PII,
        "open311_api_keys": "a-real-open311-key",
        "citizen_ref_key": REAL_CITIZEN_REF,
    }
    with pytest.raises(ValueError, match="INTAKE_CONTACT_HMAC_KEY"):
        IntakeSettings(environment="production", **real, contact_hmac_key=DEV_CONTACT_HMAC_KEY)
    with pytest.raises(ValueError, match="INTAKE_OPEN311_API_KEYS"):
        IntakeSettings(
            environment="production",
            **(real | {"open311_api_keys": f"a-real-open311-key,{DEV_OPEN311_API_KEY}"}),
            contact_hmac_key=REAL_HMAC,
        )
    with pytest.raises(ValueError, match="INTAKE_CITIZEN_REF_KEY"):
        IntakeSettings(
            environment="production",
            **(real | {"citizen_ref_key": DEV_CITIZEN_REF_KEY}),
            contact_hmac_key=REAL_HMAC,
        )
    # Development keeps working out of the box.
    assert IntakeSettings(environment="development").contact_hmac_key == DEV_CONTACT_HMAC_KEY
