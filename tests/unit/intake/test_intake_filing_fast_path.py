"""The filing fast path without I/O: which requests it takes, where it sits among the
middleware, and how an exception from the filing becomes the app's own answer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from huiyin.http.errors import DomainError
from huiyin.http.middleware import BodySizeLimit, SecurityHeaders
from huiyin.http.responses import FastJSONResponse
from huiyin.observability.http_telemetry import RequestTelemetry
from intake.domain.filing import ComplaintCreate
from intake.entrypoints.app import create_app
from intake.entrypoints.filing_fast_path import PATH, FilingFastPath, takes
from intake.settings import IntakeSettings

BODY = {
    "category": "noise",
    "description": "楼上邻居每天夜里十二点以后还在装修，电钻声音很大。",
    "location": {"lat": 30.27, "lon": 120.15},
}


def scope(method: str = "POST", path: str = PATH, **extra: Any) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", **extra}


@pytest.mark.parametrize(
    ("request_scope", "taken"),
    [
        (scope(), True),
        (scope("GET"), False),
        (scope("HEAD"), False),
        (scope("PUT"), False),
        (scope(path=PATH + "/"), False),
        (scope(path=PATH + "/HY-23456789/withdraw"), False),
        (scope(path="/open311/v2/requests.json"), False),
        (scope(root_path="/intake", path="/intake" + PATH), False),
        (scope(root_path="/intake"), False),
        ({"type": "websocket", "path": PATH}, False),
        ({"type": "lifespan"}, False),
    ],
)
def test_it_takes_only_a_post_to_exactly_the_filing_path(request_scope: Scope, taken: bool) -> None:
    assert takes(request_scope) is taken


async def test_what_it_does_not_take_goes_on_untouched() -> None:
    seen: list[Scope] = []

    async def downstream(s: Scope, receive: Receive, send: Send) -> None:
        seen.append(s)

    async def no_receive() -> Any:
        raise AssertionError("the body belongs to the app downstream")

    passing = scope("GET", headers=[])
    await FilingFastPath(downstream)(passing, no_receive, no_receive)
    assert seen == [passing] and "route" not in passing


def middleware_of(settings: IntakeSettings) -> list[Any]:
    return [m.cls for m in create_app(settings).user_middleware]


def test_it_is_the_innermost_middleware_and_can_be_turned_off() -> None:
    settings = IntakeSettings(run_relay=False, run_consumers=False, cors_origins=[])
    assert middleware_of(settings) == [RequestTelemetry, SecurityHeaders, BodySizeLimit, FilingFastPath]
    off = settings.model_copy(update={"filing_fast_path": False})
    assert middleware_of(off) == [RequestTelemetry, SecurityHeaders, BodySizeLimit]


class Spy:
    """A stand-in for `file_new_complaint`: records its arguments, answers or raises."""

    def __init__(self, outcome: Response | Exception) -> None:
        self.outcome, self.calls = outcome, list[tuple[Scope, ComplaintCreate, bytes]]()

    async def __call__(self, request: Request, body: ComplaintCreate, raw: bytes) -> Response:
        self.calls.append((request.scope, body, raw))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


async def post(spy: Spy, content: bytes | AsyncIterator[bytes]) -> httpx.Response:
    app = create_app(IntakeSettings(run_relay=False, run_consumers=False))
    fast = FilingFastPath(app, file=spy)  # downstream: the whole app, never reached here

    async def with_app(s: Scope, receive: Receive, send: Send) -> None:
        s["app"] = app  # as Starlette sets it before the middleware runs
        await fast(s, receive, send)

    transport = httpx.ASGITransport(app=with_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.post(PATH, content=content, headers={"Content-Type": "application/json"})


async def test_a_valid_filing_is_handed_over_with_its_raw_bytes_and_the_route_labelled() -> None:
    spy = Spy(
        FastJSONResponse({"state": "submitted"}, status_code=201, headers={"Idempotent-Replayed": "true"})
    )
    raw = json.dumps(BODY, ensure_ascii=False).encode()

    async def in_two_chunks() -> AsyncIterator[bytes]:
        yield raw[:20]
        yield raw[20:]

    r = await post(spy, in_two_chunks())
    assert (r.status_code, r.json(), r.headers["idempotent-replayed"]) == (
        201,
        {"state": "submitted"},
        "true",
    )
    assert r.headers["content-length"] == str(len(r.content))
    [(request_scope, body, received)] = spy.calls
    assert received == raw
    assert body == ComplaintCreate.model_validate(BODY)
    assert request_scope["route"].path == PATH


@pytest.mark.parametrize(
    ("raised", "status", "answer", "headers"),
    [
        (DomainError(409, "key reused"), 409, {"detail": "key reused"}, {}),
        (
            HTTPException(429, "slow down", headers={"Retry-After": "7"}),
            429,
            {"detail": "slow down"},
            {"retry-after": "7"},
        ),
        (
            ConnectionRefusedError("db down"),
            503,
            {"detail": "service temporarily unavailable, retry later"},
            {"retry-after": "5"},
        ),
        (
            RequestValidationError(
                [{"type": "in_future", "loc": ("body", "occurred_at"), "msg": "in the future"}]
            ),
            422,
            {
                "detail": "invalid request",
                "errors": [{"path": "body.occurred_at", "code": "in_future", "message": "in the future"}],
            },
            {},
        ),
    ],
)
async def test_an_exception_is_answered_by_the_apps_own_handler(
    raised: Exception, status: int, answer: dict[str, Any], headers: dict[str, str]
) -> None:
    r = await post(Spy(raised), json.dumps(BODY).encode())
    assert (r.status_code, r.json()) == (status, answer)
    assert {k: r.headers[k] for k in headers} == headers


async def test_an_exception_without_a_handler_goes_on_to_the_server_error_layer() -> None:
    with pytest.raises(KeyError):
        await post(Spy(KeyError("bug")), json.dumps(BODY).encode())


async def test_an_invalid_body_never_reaches_the_filing() -> None:
    spy = Spy(Response(status_code=201))
    r = await post(spy, b'{"category": "noise"}')
    assert r.status_code == 422
    assert {e["path"] for e in r.json()["errors"]} == {"body.description", "body.location"}
    assert spy.calls == []


def test_the_fastapi_route_stays_declared_for_the_openapi_document() -> None:
    app: FastAPI = create_app(IntakeSettings(run_relay=False, run_consumers=False))
    operation = app.openapi()["paths"][PATH]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/ComplaintCreate")
    assert "Idempotency-Key" in {p["name"] for p in operation["parameters"]}
