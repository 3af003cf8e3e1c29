"""The AsyncAPI 3.0 document of Huiyin's events, generated from the event registry.

Every topic (and its DLQ) is a channel; every registered event type is a message with its
CloudEvents envelope, its pydantic payload schema, its Kafka key (the complaint id) and its
headers (W3C trace context). Send operations follow `PRODUCERS`; receive operations follow
`CONSUMER_GROUPS` (a unit test holds both to the services' consumer tables).

Served by every service at /asyncapi.json and committed as docs/asyncapi.yaml
(`huiyin asyncapi --out docs/asyncapi.yaml` rewrites it; a test fails when it is stale).
"""

from __future__ import annotations

import inspect
from importlib.metadata import version
from typing import Any

from huiyin.events import topics
from huiyin.events.envelope import CONTENT_TYPE, SPECVERSION, EventData
from huiyin.events.feedback import PublicFiguresPublished
from huiyin.events.hotspots import HotspotEvent
from huiyin.events.registry import REGISTRY
from huiyin.messaging.dlq import DLQ_HEADERS
from huiyin.messaging.topics_admin import TOPIC_CONFIG
from huiyin.settings import ServiceSettings

KAFKA_BINDING = "0.5.0"
PRODUCERS = {
    topics.COMPLAINTS: "intake",
    topics.ASSIGNMENTS: "routing",
    topics.SLA: "routing",
    topics.FEEDBACK: "feedback",
    topics.HOTSPOTS: "routing",
}
# consumer group -> (service, topics it reads)
CONSUMER_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "intake-status": ("intake", (topics.ASSIGNMENTS, topics.SLA, topics.FEEDBACK, topics.HOTSPOTS)),
    "routing": ("routing", (topics.COMPLAINTS, topics.FEEDBACK)),
    "routing-hotspots": ("routing", (topics.COMPLAINTS,)),
    "feedback-workflow": ("feedback", (topics.COMPLAINTS, topics.ASSIGNMENTS)),
    "feedback-readmodel": ("feedback", topics.ALL),
    "feedback-audit": ("feedback", topics.ALL),
}
REF = "#/components/schemas/{model}"


def _key_schema(model: type[EventData]) -> dict[str, str]:
    """The Kafka key each event type is published under (EventData.key)."""
    if issubclass(model, HotspotEvent):
        return {"type": "string", "format": "uuid", "description": "the hot spot id (= subject)"}
    if issubclass(model, PublicFiguresPublished):
        return {
            "type": "string",
            "pattern": "^figures-[0-9]{4}-[0-9]{2}$",
            "description": "the month (= subject)",
        }
    return {"type": "string", "format": "uuid", "description": "the complaint id (= subject)"}


def groups_of(service: str) -> dict[str, list[str]]:
    return {g: list(ts) for g, (svc, ts) in CONSUMER_GROUPS.items() if svc == service}


def build_document() -> dict[str, Any]:
    by_topic: dict[str, list[type[EventData]]] = {t: [] for t in topics.ALL}
    for model in REGISTRY.types().values():
        by_topic[model.topic].append(model)
    schemas: dict[str, Any] = {"CloudEvent": _envelope(), "TraceHeaders": _trace_headers()}
    messages: dict[str, Any] = {"DeadLetter": _dead_letter()}
    channels: dict[str, Any] = {}
    for topic, models in by_topic.items():
        for model in models:
            schema = model.model_json_schema(ref_template=REF, mode="serialization")
            schemas.update(schema.pop("$defs", {}))
            schemas[model.__name__] = schema
            messages[model.__name__] = _message(model)
        channels[topic] = _channel(
            topic, {m.__name__: {"$ref": f"#/components/messages/{m.__name__}"} for m in models}
        )
        channels[topics.dlq(topic)] = _channel(
            topics.dlq(topic), {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}}, dlq_of=topic
        )
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Huiyin events",
            "version": version("huiyin"),
            "description": (
                "Events between intake, routing and feedback: CloudEvents 1.0 in structured JSON mode, "
                "the schema version in `type`, keyed by complaint id so one complaint's events keep their "
                "order (hot-spot events by hot spot id, a published month by its name). Every physical topic name carries the environment's KAFKA_TOPIC_PREFIX."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "kafka": {"host": "kafka:9092", "protocol": "kafka", "description": "KAFKA_BOOTSTRAP_SERVERS"}
        },
        "channels": channels,
        "operations": _operations(by_topic),
        "components": {"schemas": schemas, "messages": messages},
    }


def _channel(topic: str, messages: dict[str, Any], *, dlq_of: str | None = None) -> dict[str, Any]:
    about = (
        f"messages from `{dlq_of}` that failed after retries (or could not be decoded), with their error"
        if dlq_of
        else f"published by {PRODUCERS[topic]} through its transactional outbox"
    )
    partitions = ServiceSettings.model_fields["kafka_partitions"].default
    return {
        "address": topic,
        "description": about,
        "messages": messages,
        "bindings": {
            "kafka": {
                "topic": topic,
                "partitions": partitions,
                "topicConfiguration": {
                    "cleanup.policy": [TOPIC_CONFIG["cleanup.policy"]],
                    "retention.ms": int(TOPIC_CONFIG["retention.ms"]),
                },
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }


def _message(model: type[EventData]) -> dict[str, Any]:
    doc = inspect.getdoc(model) if "__doc__" in vars(model) and model.__doc__ else None
    message: dict[str, Any] = {
        "name": model.event_type,
        "title": model.__name__,
        "contentType": CONTENT_TYPE,
        "correlationId": {"location": "$message.payload#/subject"},
        "headers": {"$ref": "#/components/schemas/TraceHeaders"},
        "payload": {
            "allOf": [
                {"$ref": "#/components/schemas/CloudEvent"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": model.event_type},
                        "data": {"$ref": REF.format(model=model.__name__)},
                    },
                },
            ]
        },
        "bindings": {
            "kafka": {
                "key": _key_schema(model),
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }
    if doc:
        message["summary"] = doc.splitlines()[0]
    return message


def _operations(by_topic: dict[str, list[type[EventData]]]) -> dict[str, Any]:
    ops: dict[str, Any] = {}
    for topic, service in PRODUCERS.items():
        ops[f"{service}.send.{topic}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{topic}"},
            "summary": f"{service}'s outbox relay publishes these after the state change committed",
            "messages": [{"$ref": f"#/channels/{topic}/messages/{m.__name__}"} for m in by_topic[topic]],
        }
    for group, (service, read) in CONSUMER_GROUPS.items():
        for topic in read:
            ops[f"{group}.receive.{topic}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{topic}"},
                "summary": f"{service}, consumer group `{group}` (idempotent: each event applied once)",
                "bindings": {
                    "kafka": {"groupId": {"type": "string", "const": group}, "bindingVersion": KAFKA_BINDING}
                },
            }
    return ops


def _envelope() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "CloudEvents 1.0 envelope (structured JSON mode)",
        "required": ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data"],
        "properties": {
            "specversion": {"const": SPECVERSION},
            "id": {"type": "string", "description": "unique per event; consumers skip an id they applied"},
            "source": {"type": "string", "examples": ["/huiyin/intake"]},
            "type": {"type": "string", "description": "event type with its schema version"},
            "subject": {
                "type": "string",
                "description": "what the event is about, also its Kafka key: a complaint id (a hot spot id on "
                "`hotspots`; figures-YYYY-MM for a published month)",
            },
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": CONTENT_TYPE},
            "data": {"type": "object"},
        },
    }


def _trace_headers() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "W3C trace context, present when the producing request was traced (OTEL_ENABLED)",
        "properties": {"traceparent": {"type": "string"}, "tracestate": {"type": "string"}},
    }


def _dead_letter() -> dict[str, Any]:
    headers = {h: {"type": "string"} for h in DLQ_HEADERS} | {"dlq.replayed_from": {"type": "string"}}
    return {
        "name": "dead-letter",
        "title": "DeadLetter",
        "summary": "the original message (key, value, headers) with why and where it failed",
        "headers": {"type": "object", "properties": headers, "required": list(DLQ_HEADERS)},
        "payload": {"description": "the original message value, byte for byte (normally a CloudEvent)"},
    }
