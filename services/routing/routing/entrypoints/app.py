"""The routing service's FastAPI app, built by a factory (nothing is created at import)."""

from __future__ import annotations

from fastapi import FastAPI

from huiyin.clock import Clock
from huiyin.http.app import create_service_app
from huiyin.runtime import build_runtime
from routing.settings import RoutingSettings


def create_app(settings: RoutingSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or RoutingSettings()
    runtime = build_runtime(settings, consumers=[], clock=clock)
    return create_service_app(title="Huiyin routing", runtime=runtime, routers=[])
