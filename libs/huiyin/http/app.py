"""The FastAPI app every service is built on: lifespan, errors, middleware, health."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.telemetry import TelemetryConfig
from starlette.middleware import Middleware

from huiyin.http.errors import install_error_handlers
from huiyin.http.health import health_router
from huiyin.http.middleware import BodySizeLimit, SecurityHeaders
from huiyin.logs import configure_logging
from huiyin.observability import platform_probes
from huiyin.observability.endpoints import operations_router
from huiyin.observability.http_telemetry import RequestTelemetry
from huiyin.runtime import Runtime

Hook = Callable[[Runtime], Awaitable[None]]


def create_service_app(
    *,
    title: str,
    runtime: Runtime,
    routers: Sequence[APIRouter],
    on_start: Sequence[Hook] = (),
    on_stop: Sequence[Hook] = (),
    max_body_bytes: int = 64 * 1024,
    inner_middleware: Sequence[Middleware] = (),
) -> FastAPI:
    settings = runtime.settings
    configure_logging(settings.service_name, level=settings.log_level, json=settings.log_json)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        for hook in on_start:
            await hook(runtime)
        await runtime.start()
        # What start-up loaded lives as long as the process: out of the cyclic collector's
        # way, a full collection scans only what requests made (it paused reads 0.2-0.6 s).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            for hook in on_stop:
                await hook(runtime)
            await runtime.close()

    # FastAPI's own OpenTelemetry instrumentation stays off: RequestTelemetry (metrics, server
    # spans with the trace id in the logs) is the one instrumentation, never two spans per request.
    off: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}
    app = FastAPI(title=title, lifespan=lifespan, version="1.0.0", telemetry=off)
    app.state.runtime = runtime
    app.state.jwt_secret = settings.jwt_secret
    install_error_handlers(app)
    # Innermost, inside all of ours (a service's fast path for one route): each add_middleware
    # wraps what was added before it. Listed outermost first, like Starlette's `middleware=`.
    for middleware in reversed(inner_middleware):
        app.add_middleware(middleware.cls, *middleware.args, **middleware.kwargs)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    if settings.cors_origins:  # closed unless configured: pages of the sibling services
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Access-Token", "Idempotency-Key"],
            expose_headers=["Content-Disposition", "Retry-After"],
            max_age=600,
        )
    # Outside CORS: a preflight's answer carries the security headers too.
    app.add_middleware(SecurityHeaders)
    # Outermost: times every answer, 413s and CORS preflights included.
    app.add_middleware(RequestTelemetry, metrics=runtime.metrics, tracing=runtime.tracing)
    platform_probes.install(runtime)
    app.include_router(health_router())
    app.include_router(operations_router())
    for router in routers:
        app.include_router(router)
    return app
