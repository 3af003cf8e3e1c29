"""Schemathesis against each service's own OpenAPI document: generated valid and invalid
requests, sent in-process (ASGI) to the running app on real PostgreSQL and Kafka.

Every operation is called with a valid token of a role its rule admits (supervision
when it may, else admin, dispatch, ...), so the requests reach the handlers rather than
stopping at 401/403. Asserted: no server error (5xx) at all; and for valid requests,
the response's content type and body conform to the document.

Hypothesis runs in a worker thread (it is synchronous); each request is handed to the
test's event loop, where the app, its database pool and its consumers live.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.security.schemathesis_kit import caller_roles, request_args
from tests.security.security_stack import SERVICES, Services, start_services
from tests.support.infra import Infra

pytestmark = [
    pytest.mark.integration,
    # Schemathesis' own strategies use `random` inside; nothing this test can change.
    pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning"),
]

VALID_CASES = 20  # per operation: bounded, so a service takes seconds, not minutes
INVALID_CASES = 8
CONFORMANCE = [not_a_server_error, content_type_conformance, response_schema_conformance]


Send = Callable[[dict[str, Any]], httpx.Response]


def fuzz_operation(
    operation: schemathesis.APIOperation, mode: GenerationMode, auth: dict[str, str], send: Send
) -> tuple[int, str | None]:
    """Send the generated cases of one operation; returns (cases sent, the first failure).
    A failure is recorded and generation goes on: one run reports every failing operation."""
    valid = mode == GenerationMode.POSITIVE
    checks = CONFORMANCE if valid else [not_a_server_error]
    sent, failure = 0, None

    @settings(
        max_examples=VALID_CASES if valid else INVALID_CASES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases on every run: a failure reproduces
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        nonlocal sent, failure
        response = send(request_args(case.as_transport_kwargs(base_url="http://testserver", headers=auth)))
        sent += 1
        try:
            case.validate_response(response, checks=checks)
        except FailureGroup as exc:
            failure = failure or str(exc)

    try:
        run()
    except Unsatisfiable:
        if valid:
            raise
        # An operation with nothing to get wrong (no parameters, no body) has no invalid input.
    return sent, failure


def fuzz_service(services: Services, service: str, send: Send) -> tuple[int, dict[str, str]]:
    """Every operation of the service's OpenAPI document, with valid and with invalid input."""
    schema = schemathesis.openapi.from_dict(services.apps[service].openapi())
    roles = caller_roles(services, service)
    sent, failures = 0, {}
    for result in schema.get_all_operations():
        operation = result.ok()
        role = roles[(operation.method.upper(), operation.path)]
        auth = services.bearer(role) if role else {}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            count, failure = fuzz_operation(operation, mode, auth, send)
            sent += count
            if failure is not None:
                failures[f"{operation.label} ({mode.value} input)"] = failure
    return sent, failures


@pytest.mark.parametrize("service", SERVICES)
async def test_no_server_error_and_conformant_answers(service: str, infra: Infra, topic_prefix: str) -> None:
    overrides = {"intake": {"lookup_failures_allowed": 100_000}}
    async with start_services(infra, topic_prefix, services=[service], overrides=overrides) as services:
        # A crash comes back as the 500 a real client would get, not as an exception in the test.
        transport = httpx.ASGITransport(app=services.apps[service], raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            loop = asyncio.get_running_loop()

            def send(args: dict[str, Any]) -> httpx.Response:
                return asyncio.run_coroutine_threadsafe(client.request(**args), loop).result(timeout=30)

            sent, failures = await asyncio.to_thread(fuzz_service, services, service, send)
    assert failures == {}, "\n\n".join(f"{k}: {v}" for k, v in failures.items())
    assert sent > 100, f"only {sent} cases were sent"
