"""Structured JSON logs (structlog) with the service name, trace id and complaint id; personal
data masked."""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from huiyin.observability.logcontext import add_context
from huiyin.pii import mask_text


def _masked(value: Any) -> Any:
    """Strings masked, also inside the dicts and lists a log call was given."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return value


def _mask_pii(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key, value in event_dict.items():
        event_dict[key] = _masked(value)
    return event_dict


class MaskPii(logging.Filter):
    """The same safety net for plain `logging` records (libraries, uvicorn): the message and
    any traceback are rendered here, masked, and the record carries only the result."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask_text(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


def _stderr_logger(*_: Any) -> structlog.PrintLogger:
    # Look sys.stderr up on every logger creation rather than once: whoever replaced it
    # since (a test runner's capture, a daemon's redirect) gets the lines, never a closed file.
    return structlog.PrintLogger(sys.stderr)


def configure_logging(service: str, *, level: str = "INFO", json: bool = True) -> None:
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        _mask_pii,
        add_context,  # after masking: a trace id's digits are no phone number
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.EventRenamer("msg"), renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    logging.basicConfig(level=level.upper(), stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskPii) for f in handler.filters):
            handler.addFilter(MaskPii())
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
