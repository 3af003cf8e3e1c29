"""One JSON error format for every service.

422 lists each field's problem as {path, code, message}; an outage of the database is a
503 with Retry-After (never a 500, never a success for something not stored); anything
unexpected is a 500 with a request id and no stack trace (the trace goes to the log).
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from huiyin.errors import INFRASTRUCTURE_ERRORS, is_infrastructure_error
from huiyin.http.middleware import SECURITY_HEADERS
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


# The 422 body as it really is, for the OpenAPI document (FastAPI documents its own shape).
VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "title": "HTTPValidationError",
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
    },
}
FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "title": "ValidationError",
    "type": "object",
    "required": ["path", "code", "message"],
    "properties": {
        "path": {"type": "string", "description": "where: e.g. body.location.lat"},
        "code": {"type": "string", "description": "what kind of problem, machine-readable"},
        "message": {"type": "string"},
    },
}


def document_error_format(app: FastAPI) -> None:
    """Make the OpenAPI document describe the 422 body this module really sends."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schemas = generate().get("components", {}).get("schemas", {})
            if "HTTPValidationError" in schemas:
                schemas["HTTPValidationError"] = VALIDATION_ERROR_SCHEMA
                schemas["ValidationError"] = FIELD_ERROR_SCHEMA
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    document_error_format(app)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> FastJSONResponse:
        return FastJSONResponse({"detail": "invalid request", "errors": field_errors(exc)}, status_code=422)

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> FastJSONResponse:
        extra = exc.extra
        if exc.status == 422 and "errors" not in extra:  # every 422 has the same shape
            extra = {**extra, "errors": [{"path": "", "code": "invalid", "message": exc.detail}]}
        return FastJSONResponse({"detail": exc.detail, **extra}, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> FastJSONResponse:
        return FastJSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    async def _unavailable(request: Request, exc: Exception) -> FastJSONResponse:
        log.warning("dependency unavailable", path=request.url.path, error=repr(exc))
        return FastJSONResponse(
            {"detail": "service temporarily unavailable, retry later"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    # Outages are answered here, by the exception middleware: a handler for `Exception`
    # runs in Starlette's outermost middleware, which re-raises after answering (a full
    # traceback in the log per request, exactly when the service is under stress).
    for outage in INFRASTRUCTURE_ERRORS:
        app.add_exception_handler(outage, _unavailable)

    async def _database_error(request: Request, exc: Exception) -> FastJSONResponse:
        # The driver's errors arrive wrapped (DBAPIError): an outage inside is a 503, anything
        # else a 500 — both answered here, where nothing is re-raised.
        if is_infrastructure_error(exc):
            return await _unavailable(request, exc)
        return _internal_error(request, exc)

    for wrapped in (DBAPIError, asyncpg.PostgresError):
        app.add_exception_handler(wrapped, _database_error)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> FastJSONResponse:
        if is_infrastructure_error(exc):  # wrapped in another exception
            return _secured(await _unavailable(request, exc))
        return _secured(_internal_error(request, exc))


def _internal_error(request: Request, exc: Exception) -> FastJSONResponse:
    request_id = str(uuid.uuid4())
    log.error("unhandled error", path=request.url.path, request_id=request_id, exc_info=exc)
    return FastJSONResponse({"detail": "internal error", "request_id": request_id}, status_code=500)


def _secured(response: FastJSONResponse) -> FastJSONResponse:
    """The security headers on an answer of Starlette's outermost layer, which no middleware
    of ours wraps (the handler for `Exception` runs there)."""
    for name, value in SECURITY_HEADERS:
        response.headers.setdefault(name.decode(), value.decode())
    return response
