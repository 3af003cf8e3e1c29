"""The intake service's FastAPI app, built by a factory (nothing is created at import)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from fastapi import FastAPI
from starlette.middleware import Middleware

from huiyin.clock import Clock
from huiyin.http.app import create_service_app
from huiyin.pii import KeyRing
from huiyin.runtime import Runtime, build_runtime
from intake.adapters.group_commit import GroupCommit
from intake.adapters.rate_limit import RateLimiter
from intake.entrypoints import complaints_api, contact_api
from intake.entrypoints.consumers import status_consumer
from intake.entrypoints.deps import Intake
from intake.entrypoints.filing_fast_path import FilingFastPath
from intake.entrypoints.open311 import api as open311_api
from intake.handlers.commit_filings import FilingOutcome, commit_filings
from intake.handlers.idempotency import prune_expired
from intake.handlers.prepare_filing import FilingPolicy, NewComplaint
from intake.settings import IntakeSettings
from intake.web import pages as web_pages


def create_app(settings: IntakeSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    runtime = build_runtime(settings, consumers=[status_consumer()], clock=clock)
    policy = FilingPolicy(
        keyring=KeyRing.parse(settings.pii_keys),
        contact_hmac_key=settings.contact_hmac_bytes,
        citizen_ref_key=settings.citizen_ref_bytes,
        duplicate_window=timedelta(seconds=settings.duplicate_window_s),
        duplicate_radius_m=settings.duplicate_radius_m,
    )
    filings: GroupCommit[NewComplaint, FilingOutcome] = GroupCommit(
        lambda items: commit_filings(runtime.uow, policy, items), max_batch=settings.group_commit_max_batch
    )
    runtime.add_loop("filing-group-commit", filings.run)
    runtime.add_loop("idempotency-pruner", lambda stop: _prune_loop(runtime, settings, stop))
    intake = Intake(
        settings=settings,
        runtime=runtime,
        policy=policy,
        filings=filings,
        filing_limit=RateLimiter(settings.filing_rate_per_minute, 60)
        if settings.filing_rate_per_minute
        else None,
        lookup_failures=RateLimiter(settings.lookup_failures_allowed, settings.lookup_failure_window_s),
    )
    app = create_service_app(
        title="Huiyin intake",
        runtime=runtime,
        routers=[complaints_api.router, contact_api.router, open311_api.router, web_pages.router],
        inner_middleware=[Middleware(FilingFastPath)] if settings.filing_fast_path else [],
    )
    app.state.intake = intake
    open311_api.install(app)
    app.state.ready_extra = lambda: {"group_commit": {"batches": filings.batches, "items": filings.items}}
    return app


async def _prune_loop(runtime: Runtime, settings: IntakeSettings, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await prune_expired(runtime.uow(), ttl_s=settings.idempotency_ttl_s)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=600)
