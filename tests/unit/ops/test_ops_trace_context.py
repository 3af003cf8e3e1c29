"""The W3C trace context across the outbox and Kafka: per complaint, even in mixed batches."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import ConsumerRecord
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from huiyin.events import new_event
from huiyin.events.complaints import ComplaintWithdrawn
from huiyin.observability.kafka_spans import ConsumeSpans, publish_span
from huiyin.observability.tracing import Tracing, build_tracing, context_from, parents_by_key
from huiyin.outbox.writer import outbox_rows
from huiyin.settings import ServiceSettings

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def traced() -> tuple[Tracing, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    settings = ServiceSettings(environment="test", otel_enabled=True, service_name="intake")
    return build_tracing(settings, exporter=exporter), exporter


def withdrawn() -> Any:
    return new_event(
        ComplaintWithdrawn(state_before="routed", complaint_id=uuid.uuid4(), withdrawn_at=NOW),
        source="/t",
        time=NOW,
    )


def trace_of(headers: dict[str, str]) -> str:
    return headers["traceparent"].split("-")[1]


def test_an_outbox_row_carries_the_trace_of_its_own_complaint() -> None:
    tracing, _ = traced()
    tracer = tracing.tracer
    a, b, c = withdrawn(), withdrawn(), withdrawn()
    with tracer.start_as_current_span("request A") as span_a:
        [row] = outbox_rows([a])
    assert trace_of(row["headers"]) == format(span_a.get_span_context().trace_id, "032x")

    # A batch of complaints from different requests (group commit, a consumer batch).
    span_b = tracer.start_span("request B")
    span_c = tracer.start_span("request C")
    parents = {b.key: trace.set_span_in_context(span_b), c.key: trace.set_span_in_context(span_c)}
    with parents_by_key(parents):
        rows = outbox_rows([b, withdrawn(), c])
    assert trace_of(rows[0]["headers"]) == format(span_b.get_span_context().trace_id, "032x")
    assert rows[1]["headers"] == {}, "a complaint with no traced origin carries nothing"
    assert trace_of(rows[2]["headers"]) == format(span_c.get_span_context().trace_id, "032x")
    assert outbox_rows([a])[0]["headers"] == {}, "outside the block and any span: nothing"
    tracing.shutdown()


def test_the_relay_and_the_consumer_continue_the_trace_hop_by_hop() -> None:
    tracing, exporter = traced()
    event = withdrawn()
    with tracing.tracer.start_as_current_span("POST /api/v1/complaints") as request:
        [row] = outbox_rows([event])
    created = NOW - timedelta(seconds=2)
    published = publish_span(
        tracing.tracer, topic="complaints", key=event.key, headers=row["headers"], created_at=created
    )
    assert published is not None
    span, headers = published
    span.end()
    assert (
        trace_of(headers) == trace_of(row["headers"])
        and headers["traceparent"] != row["headers"]["traceparent"]
    )

    record: ConsumerRecord[bytes, bytes] = ConsumerRecord(
        "complaints", 0, 7, 0, 0, event.key.encode(), b"{}", None, 0, 0,
        [(k, v.encode()) for k, v in headers.items()],
    )  # fmt: skip
    untraced: ConsumerRecord[bytes, bytes] = ConsumerRecord(
        "complaints", 1, 3, 0, 0, b"k", b"{}", None, 0, 0, []
    )  # fmt: skip
    other = withdrawn()
    spans = ConsumeSpans(tracing.tracer, "routing", [(record, event), (untraced, other)])
    assert set(spans.parents) == {event.key}
    spans.end()
    assert tracing.provider is not None
    tracing.provider.force_flush()

    finished = {s.name: s for s in exporter.get_finished_spans()}
    trace_id = request.get_span_context().trace_id
    assert {s.context.trace_id for s in finished.values()} == {trace_id}
    assert finished["complaints publish"].start_time == int(created.timestamp() * 1e9)
    consume = finished["complaints process"]
    assert consume.parent is not None and consume.parent.span_id == span.get_span_context().span_id
    assert consume.attributes is not None and consume.attributes["messaging.consumer.group.name"] == "routing"
    tracing.shutdown()


def test_headers_without_a_traceparent_start_nothing() -> None:
    assert context_from({}) is None
    tracing, _ = traced()
    assert publish_span(tracing.tracer, topic="t", key="k", headers={}, created_at=NOW) is None
    tracing.shutdown()
