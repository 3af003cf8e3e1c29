"""The spans of the Kafka hops: the relay's publish span and the consumers' process spans.

Only messages that carry a trace context get spans (a message from an untraced request
starts no trace of its own), so with tracing on but idle callers, nothing is made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from aiokafka import ConsumerRecord
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode

from huiyin.events.envelope import Event
from huiyin.observability.tracing import context_from, context_from_kafka, headers_of


def publish_span(
    tracer: trace.Tracer, *, topic: str, key: str, headers: Mapping[str, Any], created_at: datetime
) -> tuple[trace.Span, dict[str, Any]] | None:
    """A producer span for one outbox row, starting when the row was written (so the trace
    shows the time spent in the outbox), and the row's headers pointing at it."""
    parent = context_from({k: str(v) for k, v in headers.items()})
    if parent is None:
        return None
    span = tracer.start_span(
        f"{topic} publish",
        context=parent,
        kind=SpanKind.PRODUCER,
        start_time=int(created_at.timestamp() * 1e9),
        attributes={
            "messaging.system": "kafka",
            "messaging.destination.name": topic,
            "huiyin.complaint_id": key,
        },
    )
    return span, {**headers, **headers_of(trace.set_span_in_context(span))}


class ConsumeSpans:
    """One process span per traced event of a consumer batch; `parents` maps each complaint
    id to its span, for the events the handlers emit about that complaint."""

    def __init__(
        self,
        tracer: trace.Tracer,
        group: str,
        items: Iterable[tuple[ConsumerRecord[bytes, bytes], Event[Any]]],
    ) -> None:
        self.spans: list[trace.Span] = []
        self.parents: dict[str, Context] = {}
        for record, event in items:
            parent = context_from_kafka(record.headers)
            if parent is None:
                continue
            span = tracer.start_span(
                f"{record.topic} process",
                context=parent,
                kind=SpanKind.CONSUMER,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.destination.name": record.topic,
                    "messaging.destination.partition.id": str(record.partition),
                    "messaging.kafka.offset": record.offset,
                    "messaging.consumer.group.name": group,
                    "messaging.message.id": event.id,
                    "huiyin.event_type": event.type,
                    "huiyin.complaint_id": event.subject,
                },
            )
            self.spans.append(span)
            self.parents[event.key] = trace.set_span_in_context(span)

    def end(self, error: BaseException | None = None) -> None:
        for span in self.spans:
            if error is not None:
                span.record_exception(error)
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            span.end()
