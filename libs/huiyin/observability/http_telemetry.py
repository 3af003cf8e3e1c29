"""Pure-ASGI middleware: request latency by route template and status; the server span.

The route template (`/api/v1/cases/{complaint_id}`), never the raw path, labels the
histogram, so the number of series stays bounded; a request that matched no route is
`unmatched`. With tracing on it continues the caller's `traceparent` (or starts a trace)
and makes the span current, so the outbox rows the request writes carry it.
"""

from __future__ import annotations

import time

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from huiyin.errors import is_infrastructure_error
from huiyin.observability import logcontext
from huiyin.observability.metrics import ServiceMetrics
from huiyin.observability.tracing import Tracing, context_from

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


class RequestTelemetry:
    def __init__(self, app: ASGIApp, *, metrics: ServiceMetrics, tracing: Tracing) -> None:
        self.app, self._http, self._tracing = app, metrics.http, tracing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"] if scope["method"] in METHODS else "OTHER"
        status = 0
        started = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        bound = logcontext.bind_request(scope)
        span = self._start_span(scope, method) if self._tracing.enabled else None
        attached = otel_context.attach(trace.set_span_in_context(span)) if span is not None else None
        try:
            await self.app(scope, receive, send_status)
        except Exception as exc:
            # No response yet: the outer handler (huiyin.http.errors) answers 503 or 500 after us.
            status = status or (503 if is_infrastructure_error(exc) else 500)
            raise
        finally:
            status = status or 500
            route = route_of(scope)
            self._http.labels(method, route, str(status)).observe(time.perf_counter() - started)
            if span is not None and attached is not None:
                _finish(span, method, route, status, scope)
                otel_context.detach(attached)
            logcontext.unbind_request(bound)

    def _start_span(self, scope: Scope, method: str) -> trace.Span:
        carrier = {
            k.decode("latin-1"): v.decode("latin-1")
            for k, v in scope.get("headers", ())
            if k in (b"traceparent", b"tracestate")
        }
        return self._tracing.tracer.start_span(
            method,
            context=context_from(carrier),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method},
        )


def _finish(span: trace.Span, method: str, route: str, status: int, scope: Scope) -> None:
    span.update_name(f"{method} {route}")
    span.set_attribute("http.route", route)
    complaint_id = scope.get("path_params", {}).get("complaint_id")
    if complaint_id is not None:
        span.set_attribute("huiyin.complaint_id", str(complaint_id))
    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR))
    span.end()
