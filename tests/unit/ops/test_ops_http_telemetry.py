"""The request middleware: latency by route template and status, the server span, log context."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from huiyin.errors import is_infrastructure_error
from huiyin.observability.http_telemetry import RequestTelemetry
from huiyin.observability.logcontext import add_context
from huiyin.observability.metrics import ServiceMetrics
from huiyin.observability.tracing import Tracing, build_tracing
from huiyin.settings import ServiceSettings

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def app_with(metrics: ServiceMetrics, tracing: Tracing) -> FastAPI:
    app = FastAPI()

    @app.get("/things/{complaint_id}")
    async def thing(complaint_id: str) -> dict[str, Any]:
        return add_context(None, "info", {})  # what a log line here would carry

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/db-down")
    async def db_down() -> None:
        raise ConnectionRefusedError("database unreachable")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:  # as huiyin.http.errors answers
        return JSONResponse({}, status_code=503 if is_infrastructure_error(exc) else 500)

    app.add_middleware(RequestTelemetry, metrics=metrics, tracing=tracing)
    return app


def count(metrics: ServiceMetrics, route: str, status: str, method: str = "GET") -> float | None:
    labels = {"method": method, "route": route, "status": status}
    return metrics.registry.get_sample_value("huiyin_http_request_duration_seconds_count", labels)


async def test_requests_are_counted_by_route_template_and_status() -> None:
    metrics = ServiceMetrics("test")
    app = app_with(metrics, build_tracing(ServiceSettings(environment="test")))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for cid in ("a1", "b2", "c3"):
            assert (await client.get(f"/things/{cid}")).status_code == 200
        assert (await client.get("/no/such/page")).status_code == 404
        assert (await client.get("/boom")).status_code == 500
        assert (await client.get("/db-down")).status_code == 503
        assert (await client.post("/things/a1")).status_code == 405

    assert count(metrics, "/things/{complaint_id}", "200") == 3  # one series, not one per id
    assert count(metrics, "unmatched", "404") == 1
    assert count(metrics, "/boom", "500") == 1
    assert count(metrics, "/db-down", "503") == 1
    assert count(metrics, "/things/{complaint_id}", "405", method="POST") == 1


async def test_with_tracing_the_callers_trace_continues_and_logs_carry_it() -> None:
    exporter = InMemorySpanExporter()
    tracing = build_tracing(ServiceSettings(environment="test", otel_enabled=True), exporter=exporter)
    app = app_with(ServiceMetrics("test"), tracing)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.get("/things/c-42", headers={"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"})
    assert tracing.provider is not None
    tracing.provider.force_flush()

    logged = r.json()
    assert (
        logged["trace_id"] == TRACE_ID and logged["complaint_id"] == "c-42" and len(logged["span_id"]) == 16
    )
    [span] = exporter.get_finished_spans()
    assert format(span.context.trace_id, "032x") == TRACE_ID
    assert span.name == "GET /things/{complaint_id}"
    assert span.attributes is not None and span.attributes["huiyin.complaint_id"] == "c-42"
    assert span.attributes["http.response.status_code"] == 200
    assert span.resource.attributes["service.name"] == "huiyin-huiyin"
    tracing.shutdown()


def test_outside_a_request_and_a_span_logs_get_nothing_extra() -> None:
    assert add_context(None, "info", {"msg": "x"}) == {"msg": "x"}
