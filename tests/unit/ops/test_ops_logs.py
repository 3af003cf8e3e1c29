"""A log line says which service, which complaint and which trace; personal data masked."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest
import structlog

from huiyin.logs import configure_logging
from huiyin.observability.tracing import build_tracing
from huiyin.settings import ServiceSettings


@pytest.fixture
def restore_logging() -> Iterator[None]:
    config, handlers = structlog.get_config(), list(logging.getLogger().handlers)
    try:
        yield
    finally:
        structlog.configure(**config)
        for handler in set(logging.getLogger().handlers) - set(handlers):
            logging.getLogger().removeHandler(handler)


@pytest.mark.usefixtures("restore_logging")
def test_a_json_log_line_carries_service_complaint_and_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)  # here, not in a fixture: pytest's capture resets it
    configure_logging("routing", level="INFO", json=True)
    tracing = build_tracing(
        ServiceSettings(environment="test", otel_enabled=True, otel_traces_exporter="none")
    )
    log = structlog.get_logger("test")
    with (
        tracing.tracer.start_as_current_span("complaints process") as span,
        structlog.contextvars.bound_contextvars(complaint_id="6f1c0b9e-3d5a-4e7b-9c1d-2a3b4c5d6e7f"),
    ):
        log.warning("event failed", note="citizen phone 13812345678")
    line = json.loads(stderr.getvalue().strip().splitlines()[-1])

    assert line["service"] == "routing" and line["msg"] == "event failed" and line["level"] == "warning"
    assert line["complaint_id"] == "6f1c0b9e-3d5a-4e7b-9c1d-2a3b4c5d6e7f"
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert line["note"] == "citizen phone 138****5678"
    tracing.shutdown()
