"""What every log line says besides its message: trace id, span id and complaint id.

`add_context` is a structlog processor. The trace ids come from the current OpenTelemetry
span (none while tracing is off). The complaint id comes from the log call itself, from
structlog's context variables (a consumer binds it while it retries one event), or from
the `{complaint_id}` path parameter of the HTTP request being served.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Any

from opentelemetry import trace
from starlette.types import Scope

_request: ContextVar[Scope | None] = ContextVar("huiyin_request_scope", default=None)


def bind_request(scope: Scope) -> Token[Scope | None]:
    # The router fills scope["path_params"] later, in place: read at log time, it is there.
    return _request.set(scope)


def unbind_request(token: Token[Scope | None]) -> None:
    _request.reset(token)


def add_context(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    span = trace.get_current_span().get_span_context()
    if span.is_valid:
        event_dict.setdefault("trace_id", format(span.trace_id, "032x"))
        event_dict.setdefault("span_id", format(span.span_id, "016x"))
    if "complaint_id" not in event_dict:
        scope = _request.get()
        complaint_id = scope.get("path_params", {}).get("complaint_id") if scope is not None else None
        if complaint_id is not None:
            event_dict["complaint_id"] = str(complaint_id)
    return event_dict
