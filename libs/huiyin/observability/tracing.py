"""OpenTelemetry tracing: one tracer provider per service, W3C trace context across Kafka.

A complaint's trace runs: the HTTP request (server span) -> its outbox row (the row's
`headers` hold `traceparent`) -> the relay's publish span (Kafka headers) -> each
consumer's process span -> the events that consumer emits for the same complaint -> ...

Batches mix complaints of many traces, so the context is carried *per key* (complaint id):
a consumer, or intake's group commit, binds `parents_by_key({complaint id: context})` while
its handlers run, and the outbox writer gives each event the context of its own complaint.

Off by default (`OTEL_ENABLED`); while no service in the process traces, the hot paths
check one module flag and do nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from opentelemetry import trace
from opentelemetry.context import Context, get_current
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from huiyin.settings import ServiceSettings

TRACE_HEADERS = ("traceparent", "tracestate")
_PROPAGATOR = TraceContextTextMapPropagator()
_by_key: ContextVar[Mapping[str, Context] | None] = ContextVar("huiyin_trace_parents", default=None)
_active = False  # some service in this process traces


@dataclass
class Tracing:
    tracer: trace.Tracer
    provider: TracerProvider | None = None

    @property
    def enabled(self) -> bool:
        return self.provider is not None

    def shutdown(self) -> None:
        if self.provider is not None:
            self.provider.shutdown()  # flushes the spans still queued


def build_tracing(settings: ServiceSettings, *, exporter: SpanExporter | None = None) -> Tracing:
    if not settings.otel_enabled:
        return Tracing(trace.NoOpTracer())
    global _active
    _active = True
    provider = TracerProvider(
        resource=Resource.create(
            {
                "service.name": f"huiyin-{settings.service_name}",
                "service.namespace": "huiyin",
                "deployment.environment.name": settings.environment,
            }
        ),
        sampler=ParentBased(TraceIdRatioBased(settings.otel_traces_sampler_ratio)),
    )
    exporter = exporter or _exporter(settings)
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return Tracing(provider.get_tracer(f"huiyin.{settings.service_name}"), provider)


def _exporter(settings: ServiceSettings) -> SpanExporter | None:
    if settings.otel_traces_exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(endpoint=settings.otel_exporter_otlp_endpoint.rstrip("/") + "/v1/traces")
    if settings.otel_traces_exporter == "console":
        return ConsoleSpanExporter()
    return None  # "none": spans are made (and can be read by a processor added later), not sent


def is_active() -> bool:
    return _active


def capture() -> Context | None:
    """The caller's context when it has a span (to hand to another task), else None."""
    if not _active or not trace.get_current_span().get_span_context().is_valid:
        return None
    return get_current()


@contextmanager
def parents_by_key(parents: Mapping[str, Context]) -> Iterator[None]:
    """While this block runs, an event written to the outbox with key K carries parents[K]."""
    token = _by_key.set(parents or None)
    try:
        yield
    finally:
        _by_key.reset(token)


def outbox_headers(key: str) -> dict[str, str]:
    """Trace headers for an outbox row: its complaint's bound context, else the current span's."""
    parents = _by_key.get()
    ctx = parents.get(key) if parents else None
    if ctx is None and not trace.get_current_span().get_span_context().is_valid:
        return {}
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier, context=ctx)
    return carrier


def headers_of(ctx: Context) -> dict[str, str]:
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier, context=ctx)
    return carrier


def context_from(carrier: Mapping[str, str]) -> Context | None:
    """The remote parent named by `traceparent` in a mapping (outbox row headers), if any."""
    if "traceparent" not in carrier:
        return None
    return _PROPAGATOR.extract(carrier)


def context_from_kafka(headers: Iterable[tuple[str, bytes]] | None) -> Context | None:
    carrier = {k: v.decode(errors="replace") for k, v in headers or () if k in TRACE_HEADERS}
    return context_from(carrier)


def trace_id_hex(span: trace.Span) -> str:
    return format(span.get_span_context().trace_id, "032x")
