"""POST /api/v1/complaints without FastAPI's per-request machinery (issue #12, speed).

At 700 filings/s about 40 % of intake's CPU went to routing, dependency solving, body
parsing and response handling around an endpoint worth about 10 %. This pure-ASGI component
sits innermost among the app's middleware (telemetry, security headers, CORS and the body
limit still wrap it) and answers exactly that route: it reads the body, validates it
(filing_body) and calls `file_new_complaint`, the function the FastAPI route calls too. The
route stays declared, for the OpenAPI document and for INTAKE_FILING_FAST_PATH=false.
Errors go through the app's own exception handlers, so every answer is the route's.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from intake.domain.filing import ComplaintCreate
from intake.entrypoints.filing import file_new_complaint
from intake.entrypoints.filing_body import BodyRule, read_body

PATH = "/api/v1/complaints"
Filer = Callable[[Request, ComplaintCreate, bytes], Awaitable[Response]]
Handler = Callable[[Request, Exception], Any]


def takes(scope: Scope) -> bool:
    """Only a POST to exactly the filing path (no trailing slash, no root path) is answered
    here; FastAPI keeps everything else, redirects and 405s included."""
    return (
        scope["type"] == "http"
        and scope["method"] == "POST"
        and scope["path"] == PATH
        and not scope.get("root_path")
    )


@dataclass(frozen=True)
class FilingRoute:
    route: Any  # the APIRoute: RequestTelemetry labels the request with its path
    body: BodyRule

    @classmethod
    def of(cls, app: FastAPI) -> FilingRoute:
        for rc in iter_route_contexts(app.routes):
            if rc.path == PATH and "POST" in (rc.methods or ()):
                return cls(route=rc.original_route, body=BodyRule.of(rc))
        raise LookupError(f"the app declares no POST {PATH}")


@dataclass(frozen=True)
class ErrorHandlers:
    """The app's exception handlers as Starlette's ExceptionMiddleware uses them: by status
    for an HTTPException, else by the exception's MRO. The handler for `Exception` (or 500)
    is ServerErrorMiddleware's, outside us: such an exception is re-raised to it."""

    by_status: dict[int, Handler]
    by_class: dict[type, Handler]

    @classmethod
    def of(cls, app: FastAPI) -> ErrorHandlers:
        handlers = {k: v for k, v in app.exception_handlers.items() if k not in (500, Exception)}
        return cls(
            by_status={k: v for k, v in handlers.items() if isinstance(k, int)},
            by_class={k: v for k, v in handlers.items() if isinstance(k, type)},
        )

    def lookup(self, exc: Exception) -> Handler | None:
        if isinstance(exc, HTTPException) and (handler := self.by_status.get(exc.status_code)):
            return handler
        return next((self.by_class[c] for c in type(exc).__mro__ if c in self.by_class), None)


class FilingFastPath:
    def __init__(self, app: ASGIApp, *, file: Filer = file_new_complaint) -> None:
        self.app, self._file = app, file
        # Found on the first filing: the FastAPI app is in the scope, not in our constructor.
        self._route: FilingRoute | None = None
        self._errors: ErrorHandlers | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not takes(scope):
            await self.app(scope, receive, send)
            return
        route = self._route or self._resolve(scope["app"])
        scope["route"] = route.route
        request = Request(scope, receive)
        try:
            raw = await read_body(receive)
            body = await route.body.validate(raw, request.headers.get("content-type"))
            response = await self._file(request, body, raw)
        except Exception as exc:
            await self._answer_error(request, exc, send)
            return
        await response(scope, receive, send)

    def _resolve(self, app: FastAPI) -> FilingRoute:
        self._route, self._errors = FilingRoute.of(app), ErrorHandlers.of(app)
        return self._route

    async def _answer_error(self, request: Request, exc: Exception, send: Send) -> None:
        assert self._errors is not None  # resolved with the route
        handler = self._errors.lookup(exc)
        if handler is None:
            raise exc
        result = handler(request, exc)
        response = await result if inspect.isawaitable(result) else result
        if response is not None:
            await response(request.scope, request.receive, send)
        exc.__traceback__ = None  # as Starlette: a reused exception would pile up tracebacks
