"""GET /health (the process answers) and GET /ready (its database, Kafka and loops)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from huiyin.auth.access import public
from huiyin.http.responses import FastJSONResponse
from huiyin.runtime import Runtime


class Health(BaseModel):
    status: str
    service: str


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"], dependencies=[public()])

    @router.get("/health", response_model=Health)
    async def health(request: Request) -> Health:
        rt: Runtime = request.app.state.runtime
        return Health(status="ok", service=rt.settings.service_name)

    @router.get("/ready", responses={503: {"description": "a dependency is not reachable"}})
    async def ready(request: Request) -> FastJSONResponse:
        rt: Runtime = request.app.state.runtime
        ok, checks = await rt.readiness()
        extra: dict[str, Any] = getattr(request.app.state, "ready_extra", lambda: {})()
        # Warnings (e.g. a working-time calendar year not loaded) never fail readiness; they are
        # gathered at the top so an operator sees them without knowing which section holds them.
        warnings = [w for part in extra.values() if isinstance(part, dict) for w in part.get("warnings", ())]
        body = {
            "status": "ready" if ok else "not ready",
            "service": rt.settings.service_name,
            "warnings": warnings,
            **checks,
            **extra,
        }
        return FastJSONResponse(body, status_code=200 if ok else 503)

    return router
