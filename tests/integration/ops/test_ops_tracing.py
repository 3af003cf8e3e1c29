"""One complaint, one trace: intake's request -> outbox -> Kafka -> routing -> feedback.

The three services run in-process with tracing on; each has its own tracer provider (its
own `service.name`), and an in-memory exporter is added to each.
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.integration.ops.ops_stack import three_services
from tests.support.apps import eventually
from tests.support.infra import Infra

CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c"


def hops(spans: Sequence[ReadableSpan], trace_id: int) -> set[tuple[str, str]]:
    return {
        (str(s.resource.attributes["service.name"]), s.name) for s in spans if s.context.trace_id == trace_id
    }


async def test_a_filed_complaint_has_one_trace_across_the_three_services(
    infra: Infra, topic_prefix: str
) -> None:
    exporter = InMemorySpanExporter()
    async with three_services(infra, topic_prefix, otel=True) as services:
        for app in services.apps.values():
            provider = app.state.runtime.tracing.provider
            assert provider is not None, "OTEL_ENABLED gives each service a tracer provider"
            provider.add_span_processor(SimpleSpanProcessor(exporter))

        # The citizen's client sends its own trace context: the whole journey joins it.
        filed = await services.file_complaint(traceparent=f"00-{CALLER_TRACE}-b7ad6b7169203331-01")
        trace_id = int(CALLER_TRACE, 16)

        async def spans() -> Sequence[ReadableSpan]:
            return exporter.get_finished_spans()

        # feedback reads `complaints` too: wait for the hop that only comes through routing.
        through_routing = ("huiyin-feedback", f"{topic_prefix}assignments process")
        found = await eventually(spans, until=lambda s: through_routing in hops(s, trace_id), timeout=30)

    ours = [s for s in found if s.context.trace_id == trace_id]
    names = hops(found, trace_id)
    assert {service for service, _ in names} == {"huiyin-intake", "huiyin-routing", "huiyin-feedback"}
    assert ("huiyin-intake", "POST /api/v1/complaints") in names
    assert ("huiyin-intake", "complaints publish") in names  # the outbox hop
    assert ("huiyin-routing", f"{topic_prefix}complaints process") in names
    assert ("huiyin-routing", "assignments publish") in names
    about = {s.attributes.get("huiyin.complaint_id") for s in ours if s.attributes} - {None}
    assert about == {filed["id"]}, "every hop is about this complaint"
    by_id = {s.context.span_id: s for s in ours}
    routed = next(s for s in ours if s.name == "assignments publish")
    assert routed.parent is not None and by_id[routed.parent.span_id].name.endswith("complaints process")
