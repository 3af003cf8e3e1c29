"""The feedback service's FastAPI app, built by a factory (nothing is created at import)."""

from __future__ import annotations

from fastapi import FastAPI

from feedback.adapters import metrics as feedback_metrics
from feedback.entrypoints import audit_api, citizen_api, exports_api, metrics_api
from feedback.entrypoints.consumers import consumer_specs
from feedback.handlers.expire_requests import expiry_loop
from feedback.public import api as public_api
from feedback.public import page as public_page
from feedback.public.handlers.publish import publication_loop
from feedback.settings import FeedbackSettings
from feedback.web import pages as web_pages
from huiyin.clock import Clock
from huiyin.http.app import create_service_app
from huiyin.runtime import build_runtime


def create_app(settings: FeedbackSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or FeedbackSettings()
    runtime = build_runtime(settings, consumers=consumer_specs(settings), clock=clock)
    feedback_metrics.register(runtime)
    if settings.run_consumers:  # an API-only replica leaves the expiry to the others
        runtime.add_loop("feedback-expiry", expiry_loop(runtime.uow, settings.feedback_expiry_poll_s))
        runtime.add_loop("public-figures", publication_loop(runtime.uow, settings))
    return create_service_app(
        title="Huiyin feedback",
        runtime=runtime,
        routers=[
            citizen_api.router,
            metrics_api.router,
            exports_api.router,
            audit_api.router,
            public_api.router,
            web_pages.router,
            public_page.router,
        ],
    )
