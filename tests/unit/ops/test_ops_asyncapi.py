"""The AsyncAPI document: generated from the event registry, committed, served, complete."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from feedback.entrypoints.consumers import consumer_specs
from feedback.settings import FeedbackSettings
from huiyin.events import REGISTRY, topics
from huiyin.events.asyncapi import CONSUMER_GROUPS, PRODUCERS, build_document
from huiyin.events.feedback import PublicFiguresPublished
from huiyin.messaging.dlq import DLQ_HEADERS
from intake.entrypoints.consumers import status_consumer
from routing.adapters.units_repo import DirectoryCache
from routing.entrypoints.consumers import consumer_spec, hotspot_consumer_spec
from routing.hotspots.rules import HotspotRules

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.yaml"
REGENERATE = ".venv/bin/huiyin asyncapi --out docs/asyncapi.yaml"


def generated() -> dict[str, Any]:
    return json.loads(json.dumps(build_document()))  # as a YAML/JSON reader sees it


def test_the_committed_document_is_what_the_code_generates() -> None:
    committed = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    assert committed == generated(), f"docs/asyncapi.yaml is stale: regenerate it with `{REGENERATE}`"


def test_every_topic_and_event_type_is_described_with_its_payload_key_and_headers() -> None:
    doc = generated()
    assert doc["asyncapi"] == "3.0.0"
    assert set(doc["channels"]) == set(topics.all_with_dlq())
    messages, schemas = doc["components"]["messages"], doc["components"]["schemas"]
    for event_type, model in REGISTRY.types().items():
        message = messages[model.__name__]
        assert message["name"] == event_type
        assert model.__name__ in doc["channels"][model.topic]["messages"]
        data_ref = message["payload"]["allOf"][1]["properties"]["data"]["$ref"]
        schema = schemas[data_ref.rsplit("/", 1)[1]]
        assert set(schema["properties"]) == set(model.model_fields)
        key = message["bindings"]["kafka"]["key"]
        if model is PublicFiguresPublished:  # keyed by the month it publishes
            assert re.fullmatch(key["pattern"], "figures-2026-10")
        else:
            assert key["format"] == "uuid"
        assert message["headers"]["$ref"].endswith("/TraceHeaders")
    assert set(schemas["TraceHeaders"]["properties"]) == {"traceparent", "tracestate"}
    assert set(DLQ_HEADERS) <= set(messages["DeadLetter"]["headers"]["properties"])
    refs = {r for r in _refs(doc) if r.startswith("#/components/schemas/")}
    assert {r.rsplit("/", 1)[1] for r in refs} <= set(schemas), "every $ref resolves"


def test_producers_and_consumer_groups_are_those_of_the_services() -> None:
    assert set(PRODUCERS) == set(topics.ALL)
    specs = [
        status_consumer(),
        consumer_spec(DirectoryCache()),
        hotspot_consumer_spec(DirectoryCache(), HotspotRules()),
        *consumer_specs(FeedbackSettings()),
    ]
    assert {s.group: tuple(s.topics) for s in specs} == {
        g: tuple(ts) for g, (_, ts) in CONSUMER_GROUPS.items()
    }
    operations = generated()["operations"]
    for group, (_, read) in CONSUMER_GROUPS.items():
        for topic in read:
            assert operations[f"{group}.receive.{topic}"]["action"] == "receive"


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []
