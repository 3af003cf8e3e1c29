"""PostgreSQL text cannot hold a NUL character: a NUL in any path or query parameter, or in
any string of a JSON or form body, must be refused as bad input, never reach a query and
come back as a 500. (Schemathesis rarely puts one in a path; these are the cases it found.)"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from huiyin.auth.routes import route_rules
from huiyin.auth.tokens import Role
from tests.security.schemathesis_kit import caller_roles, request_args
from tests.security.security_stack import SERVICES, Services, concrete, start_services
from tests.support.infra import Infra

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning"),
]


def with_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value + "\x00"
    if isinstance(value, dict):
        return {k: with_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [with_nul(v) for v in value]
    return value


@pytest.fixture
async def stack(infra: Infra, topic_prefix: str) -> AsyncIterator[Services]:
    overrides = {"intake": {"lookup_failures_allowed": 100_000}}
    async with start_services(infra, topic_prefix, overrides=overrides) as services:
        yield services


def no_raise(services: Services, service: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=services.apps[service], raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_a_nul_in_a_path_or_query_parameter_is_refused(stack: Services) -> None:
    crashes, sent = [], 0
    for service in SERVICES:
        operations = stack.apps[service].openapi()["paths"]
        async with no_raise(stack, service) as client:
            for rule in route_rules(stack.apps[service]):
                role = Role.SUPERVISION if not rule.roles or Role.SUPERVISION in rule.roles else rule.roles[0]
                headers = {**stack.bearer(role), "X-Access-Token": "t"}
                for method in rule.methods:
                    body = None if method == "GET" else {}
                    urls = [
                        concrete(rule.path.replace("{" + name + "}", "a%00b"), role)
                        for name in re.findall(r"\{(\w+)\}", rule.path)
                    ]
                    query = operations.get(rule.path, {}).get(method.lower(), {}).get("parameters", [])
                    calls = [(url, {}) for url in urls] + [
                        (concrete(rule.path, role), {p["name"]: "a\x00b"})
                        for p in query
                        if p["in"] == "query"
                    ]
                    for url, params in calls:
                        r = await client.request(method, url, params=params, headers=headers, json=body)
                        sent += 1
                        if r.status_code >= 500:
                            crashes.append(f"{service} {method} {url} {params}: {r.status_code}")
    assert sent > 80
    assert crashes == [], "\n".join(crashes)


async def test_a_nul_in_any_body_string_is_refused_or_removed(stack: Services) -> None:
    crashes: dict[str, str] = {}
    loop = asyncio.get_running_loop()
    for service in SERVICES:
        schema = schemathesis.openapi.from_dict(stack.apps[service].openapi())
        roles = caller_roles(stack, service)
        async with no_raise(stack, service) as client:

            def send(args: dict[str, Any], client: httpx.AsyncClient = client) -> httpx.Response:
                return asyncio.run_coroutine_threadsafe(client.request(**args), loop).result(timeout=30)

            for result in schema.get_all_operations():
                operation = result.ok()
                if operation.method.upper() in ("POST", "PUT", "PATCH"):
                    role = roles[(operation.method.upper(), operation.path)]
                    auth = stack.bearer(role) if role else {}
                    await asyncio.to_thread(send_bodies_with_nul, operation, auth, send, crashes)
    assert crashes == {}, "\n".join(f"{k}: {v}" for k, v in crashes.items())


def send_bodies_with_nul(
    operation: schemathesis.APIOperation, auth: dict[str, str], send: Any, crashes: dict[str, str]
) -> None:
    @settings(
        max_examples=10,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: schemathesis.Case) -> None:
        args = request_args(case.as_transport_kwargs(base_url="http://testserver", headers=auth))
        for key in ("json", "data"):
            if isinstance(args.get(key), dict | list):
                args[key] = with_nul(args[key])
        r = send(args)
        if r.status_code >= 500:
            crashes.setdefault(
                operation.label, f"{r.status_code} for {args.get('json') or args.get('data')!r:.200}"
            )

    run()
