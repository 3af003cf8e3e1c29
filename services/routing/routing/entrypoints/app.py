"""The routing service's FastAPI app, built by a factory (nothing is created at import)."""

from __future__ import annotations

from fastapi import FastAPI

from huiyin.clock import Clock
from huiyin.http.app import create_service_app
from huiyin.runtime import build_runtime
from routing.adapters import metrics as routing_metrics
from routing.adapters.units_repo import DirectoryCache
from routing.entrypoints.api_auth import auth_router
from routing.entrypoints.api_cases import cases_router
from routing.entrypoints.api_units import units_router
from routing.entrypoints.consumers import consumer_spec, hotspot_consumer_spec
from routing.hotspots import wiring as hotspot_wiring
from routing.settings import RoutingSettings
from routing.sla import wiring as sla_wiring
from routing.sla.config import SlaSettings
from routing.web import pages as web_pages


def create_app(
    settings: RoutingSettings | None = None,
    *,
    clock: Clock | None = None,
    sla_settings: SlaSettings | None = None,
) -> FastAPI:
    settings = settings or RoutingSettings()
    directories = DirectoryCache()
    consumers = [consumer_spec(directories, lanes=settings.inbox_lanes)]
    if settings.hotspot_detection:
        consumers.append(hotspot_consumer_spec(directories, hotspot_wiring.rules_of(settings)))
    runtime = build_runtime(settings, consumers=consumers, clock=clock)
    routing_metrics.register(runtime)
    sla_routers = sla_wiring.install(runtime, sla_settings, extra_timers=[hotspot_wiring.DEADLINES])
    hotspot_routers = hotspot_wiring.install(runtime, settings)
    app = create_service_app(
        title="Huiyin routing",
        runtime=runtime,
        routers=[
            auth_router(),
            units_router(),
            cases_router(),
            *sla_routers,
            *hotspot_routers,
            web_pages.router,
        ],
        on_start=[hotspot_wiring.warm_text] if settings.hotspot_detection else [],
        max_body_bytes=settings.max_body_bytes,
    )
    app.state.directories = directories
    app.state.ready_extra = sla_wiring.ready_detail
    return app
