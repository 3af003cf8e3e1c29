"""The feedback service's FastAPI app, built by a factory (nothing is created at import)."""

from __future__ import annotations

from fastapi import FastAPI

from feedback.settings import FeedbackSettings
from huiyin.clock import Clock
from huiyin.http.app import create_service_app
from huiyin.runtime import build_runtime


def create_app(settings: FeedbackSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or FeedbackSettings()
    runtime = build_runtime(settings, consumers=[], clock=clock)
    return create_service_app(title="Huiyin feedback", runtime=runtime, routers=[])
