"""The filing fast path answers exactly as the FastAPI route: the same requests, sent to an
app with it and to one without it (each on its own database), give the same status, body,
headers and request metrics. Only generated values (ids, codes, tokens, times) differ."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from intake.entrypoints.app import create_app
from intake.entrypoints.filing_fast_path import FilingFastPath
from intake.settings import IntakeSettings
from tests.integration.intake.conftest import SettingsFactory
from tests.integration.intake.intake_helpers import complaint_body
from tests.support.apps import running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}
COMPARED_HEADERS = (
    "content-type",
    "idempotent-replayed",
    "retry-after",
    "allow",
    "location",
    "x-frame-options",
)
TRACKING_CODE = re.compile(r"^HY-[A-Z0-9]+$")


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes | list[bytes] = b""  # a list: sent chunked, without Content-Length
    headers: dict[str, str] = field(default_factory=lambda: dict(JSON))
    method: str = "POST"
    path: str = "/api/v1/complaints"


def dumps(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def filing_cases() -> list[Case]:
    valid = dumps(complaint_body())
    other = dumps(complaint_body(description="路口的红绿灯坏了三天了，早晚高峰非常拥堵，请尽快处理。"))
    no_description = complaint_body()
    del no_description["description"]
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    return [
        Case("valid", valid),
        Case("valid, charset", valid, {"Content-Type": "application/json; charset=utf-8"}),
        Case("valid, +json subtype", valid, {"Content-Type": "application/merge-patch+json"}),
        Case("valid, UTF-8 BOM", b"\xef\xbb\xbf" + valid),
        Case("valid, UTF-16", json.dumps(complaint_body()).encode("utf-16")),
        Case("missing field", dumps(no_description)),
        Case("wrong types", dumps(complaint_body(category=5, location="here", attachments="x"))),
        Case("extra field", dumps(complaint_body(urgent=True))),
        Case("not JSON", b"{not json"),
        Case("trailing garbage", valid + b" x"),
        Case("invalid UTF-8", b'{"category": "\xff"}'),
        Case("JSON array", b"[1, 2]"),
        Case("JSON null", b"null"),
        Case("JSON string", b'"complaint"'),
        Case("empty body", b""),
        Case("empty body, no content type", b"", {}),
        Case("no content type", valid, {}),
        Case("text/plain", valid, {"Content-Type": "text/plain"}),
        Case("future occurred_at", dumps(complaint_body(occurred_at=future))),
        Case("key, first", valid, {**JSON, "Idempotency-Key": "k-1"}),
        Case("key, replay", valid, {**JSON, "Idempotency-Key": "k-1"}),
        Case("key, other body", other, {**JSON, "Idempotency-Key": "k-1"}),
        Case("key too long", valid, {**JSON, "Idempotency-Key": "k" * 201}),
        Case("key empty", valid, {**JSON, "Idempotency-Key": ""}),
        Case("key with invalid body", b"[]", {**JSON, "Idempotency-Key": "k-2"}),
        Case("over the size limit", dumps(complaint_body(description="字" * 40_000))),
        Case("over the size limit, chunked", [b"x" * 8192] * 10),
        Case("GET", method="GET"),
        Case("trailing slash", valid, path="/api/v1/complaints/"),
    ]


def normalized(status: int, headers: dict[str, str], body: Any) -> dict[str, Any]:
    """What must be equal between the two apps; generated values checked for shape only."""
    out: dict[str, Any] = {"status": status, "headers": {h: headers.get(h) for h in COMPARED_HEADERS}}
    if status == 201:
        uuid.UUID(body.pop("id"))
        assert TRACKING_CODE.match(body.pop("tracking_code"))
        assert len(body.pop("access_token")) >= 16
        assert datetime.fromisoformat(body.pop("submitted_at")).tzinfo is not None
    else:  # error bodies are deterministic, to the byte
        out["content-length"] = headers.get("content-length")
    out["body"] = body
    return out


class Recorder:
    """Wraps what the fast path passes requests on to: which ones reached FastAPI."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.seen = app, list[tuple[str, str]]()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)


def fast_path_of(app: FastAPI) -> FilingFastPath | None:
    app.middleware_stack = app.build_middleware_stack()
    layer: Any = app.middleware_stack
    while layer is not None and not isinstance(layer, FilingFastPath):
        layer = getattr(layer, "app", None)
    return layer


async def chunks(parts: list[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def answers(settings: IntakeSettings, cases: list[Case], *, fast: bool) -> dict[str, Any]:
    app = create_app(settings)
    fast_path = fast_path_of(app)
    assert (fast_path is not None) == fast
    recorder = None
    if fast_path is not None:
        recorder = fast_path.app = Recorder(fast_path.app)
    out, raw = {}, {}
    async with running(app) as client:
        for case in cases:
            content = chunks(case.content) if isinstance(case.content, list) else case.content
            r = await client.request(case.method, case.path, content=content, headers=case.headers)
            is_json = r.headers.get("content-type") == "application/json"
            raw[case.name] = r.json() if is_json else r.text
            out[case.name] = normalized(r.status_code, dict(r.headers), r.json() if is_json else r.text)
    if "key, replay" in raw:  # within one app: the replay is the first answer, to the byte
        assert raw["key, replay"] == raw["key, first"]
    if recorder is not None:  # the filings never reached FastAPI's router
        assert ("POST", "/api/v1/complaints") not in recorder.seen
        passed_on = {(c.method, c.path) for c in cases} - {("POST", "/api/v1/complaints")}
        assert passed_on <= set(recorder.seen)
    out["metrics"] = http_samples(app)
    return out


def http_samples(app: FastAPI) -> dict[tuple[str, str, str], float]:
    """Request counts by (method, route template, status), as RequestTelemetry labels them."""
    registry = app.state.runtime.metrics.registry
    return {
        (s.labels["method"], s.labels["route"], s.labels["status"]): s.value
        for metric in registry.collect()
        if metric.name == "huiyin_http_request_duration_seconds"
        for s in metric.samples
        if s.name.endswith("_count")
    }


def two_settings(
    intake_settings: SettingsFactory, infra: Infra, **overrides: Any
) -> tuple[IntakeSettings, IntakeSettings]:
    """With and without the fast path, each on a database of its own (same ids, no clash)."""
    fast = intake_settings(filing_fast_path=True, **overrides)
    plain = intake_settings(filing_fast_path=False, database_url=infra.create_database("intake"), **overrides)
    return fast, plain


async def test_the_fast_path_answers_every_case_as_the_fastapi_route(
    infra: Infra, intake_settings: SettingsFactory
) -> None:
    cases = filing_cases()
    fast_settings, plain_settings = two_settings(intake_settings, infra)
    fast = await answers(fast_settings, cases, fast=True)
    plain = await answers(plain_settings, cases, fast=False)
    for case in cases:
        assert fast[case.name] == plain[case.name], case.name
    assert fast["metrics"] == plain["metrics"]
    # The cases really cover what they are named for.
    statuses = {name: a["status"] for name, a in plain.items() if name != "metrics"}
    assert statuses["valid"] == statuses["valid, UTF-8 BOM"] == statuses["valid, UTF-16"] == 201
    assert plain["key, replay"]["headers"]["idempotent-replayed"] == "true"
    assert statuses["key, other body"] == 409
    assert statuses["over the size limit"] == statuses["over the size limit, chunked"] == 413
    assert {statuses[n] for n in ("missing field", "not JSON", "JSON array", "empty body", "text/plain")} == {
        422
    }
    assert plain["not JSON"]["body"]["errors"][0]["path"] == "body.1"
    assert plain["metrics"][("POST", "/api/v1/complaints", "201")] >= 5


async def test_the_filing_throttle_answers_alike(infra: Infra, intake_settings: SettingsFactory) -> None:
    # Validation comes before the throttle: a bad body from a throttled client is still a 422.
    valid = dumps(complaint_body())
    cases = [Case("first", valid), Case("second", valid), Case("invalid", b"[]")]
    fast_settings, plain_settings = two_settings(intake_settings, infra, filing_rate_per_minute=1)
    fast = await answers(fast_settings, cases, fast=True)
    plain = await answers(plain_settings, cases, fast=False)
    assert fast == plain
    assert [plain[c.name]["status"] for c in cases] == [201, 429, 422]
    assert plain["second"]["headers"]["retry-after"] is not None
