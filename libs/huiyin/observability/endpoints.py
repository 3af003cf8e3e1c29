"""GET /metrics (Prometheus) and GET /asyncapi.json (the event contract): public.

A Prometheus scraper carries no JWT, so /metrics is public like /health and /ready; it holds
no personal data (route templates, unit ids, counts), and a deployment keeps it on the
internal network (docs/operations.md).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from huiyin.auth.access import public
from huiyin.events.asyncapi import build_document
from huiyin.http.responses import FastJSONResponse


@cache
def asyncapi_document() -> dict[str, Any]:
    return build_document()


def operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"], dependencies=[public()])

    @router.get(
        "/metrics",
        response_class=Response,
        responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format"}},
    )
    async def metrics(request: Request) -> Response:
        body = await request.app.state.runtime.metrics.exposition()
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    @router.get(
        "/asyncapi.json",
        response_class=FastJSONResponse,
        responses={200: {"description": "the AsyncAPI 3.0 document of every topic and event"}},
    )
    async def asyncapi() -> FastJSONResponse:
        return FastJSONResponse(asyncapi_document())

    return router
