"""One JSON error format for every service.

422 lists each field's problem as {path, code, message}; an outage of the database is a
503 with Retry-After (never a 500, never a success for something not stored); anything
unexpected is a 500 with a request id and no stack trace (the trace goes to the log).
"""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from huiyin.errors import is_infrastructure_error
from huiyin.http.responses import FastJSONResponse

log = structlog.get_logger("huiyin.http")


class DomainError(Exception):
    """An error a handler raises on purpose; carries its HTTP status and a JSON body."""

    def __init__(self, status: int, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.detail, self.extra = status, detail, extra


def field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        out.append(
            {
                "path": ".".join(loc),
                "code": err.get("type", "invalid"),
                "message": err.get("msg", ""),
            }
        )
    return out


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> FastJSONResponse:
        return FastJSONResponse({"detail": "invalid request", "errors": field_errors(exc)}, status_code=422)

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> FastJSONResponse:
        return FastJSONResponse({"detail": exc.detail, **exc.extra}, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> FastJSONResponse:
        return FastJSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> FastJSONResponse:
        if is_infrastructure_error(exc):
            log.warning("dependency unavailable", path=request.url.path, error=repr(exc))
            return FastJSONResponse(
                {"detail": "service temporarily unavailable, retry later"},
                status_code=503,
                headers={"Retry-After": "5"},
            )
        request_id = str(uuid.uuid4())
        log.error("unhandled error", path=request.url.path, request_id=request_id, exc_info=exc)
        return FastJSONResponse({"detail": "internal error", "request_id": request_id}, status_code=500)
