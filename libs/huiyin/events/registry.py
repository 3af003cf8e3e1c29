"""One registry maps each CloudEvents `type` to its payload model.

Unknown types and malformed messages are rejected with `EventDecodeError`, never guessed.
An upcaster turns an older version of a type into the current one before validation.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from huiyin import jsonutil
from huiyin.events import assignments, complaints, feedback, hotspots, sla
from huiyin.events.envelope import SPECVERSION, Event, EventData

Upcaster = Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]


class EventDecodeError(ValueError):
    """The message is not a valid Huiyin event (malformed, unknown type, bad payload)."""


class EventRegistry:
    def __init__(self, models: Iterable[type[EventData]]) -> None:
        self._models: dict[str, type[EventData]] = {}
        self._upcasters: dict[str, Upcaster] = {}
        for model in models:
            self.register(model)

    def register(self, model: type[EventData]) -> None:
        if model.event_type in self._models:
            raise ValueError(f"event type registered twice: {model.event_type}")
        self._models[model.event_type] = model

    def register_upcaster(self, old_type: str, upcaster: Upcaster) -> None:
        self._upcasters[old_type] = upcaster

    def model(self, event_type: str) -> type[EventData]:
        try:
            return self._models[event_type]
        except KeyError:
            raise EventDecodeError(f"unknown event type {event_type!r}") from None

    def types(self) -> dict[str, type[EventData]]:
        return dict(self._models)

    def decode(self, raw: bytes) -> Event[EventData]:
        event = self.decode_if(raw, None)
        assert event is not None  # every type is wanted
        return event

    def decode_if(self, raw: bytes, wanted: Container[str] | None) -> Event[EventData] | None:
        """Decode `raw`, or return None when its (current) type is registered but not in
        `wanted`: a consumer group skips what it has no handler for without paying for the
        payload's validation. Malformed envelopes and unknown types are errors either way."""
        try:
            doc = jsonutil.loads(raw)
        except ValueError as exc:
            raise EventDecodeError(f"not JSON: {exc}") from exc
        if not isinstance(doc, dict):
            raise EventDecodeError("a CloudEvent must be a JSON object")
        missing = [k for k in ("id", "source", "type", "subject", "time", "data") if k not in doc]
        if missing:
            raise EventDecodeError(f"missing CloudEvents attributes: {', '.join(missing)}")
        if doc.get("specversion") != SPECVERSION:
            raise EventDecodeError(f"unsupported specversion {doc.get('specversion')!r}")
        event_type, data = str(doc["type"]), doc["data"]
        while event_type in self._upcasters:
            event_type, data = self._upcasters[event_type](data)
        model = self.model(event_type)
        if wanted is not None and event_type not in wanted:
            return None
        try:
            payload = model.model_validate(data)
            when = datetime.fromisoformat(str(doc["time"]))
        except (ValidationError, ValueError) as exc:
            raise EventDecodeError(f"invalid {event_type} payload: {exc}") from exc
        if when.tzinfo is None:
            raise EventDecodeError("event time must carry a timezone")
        return Event(
            id=str(doc["id"]),
            source=str(doc["source"]),
            type=event_type,
            subject=str(doc["subject"]),
            time=when,
            data=payload,
        )


def _all_models() -> list[type[EventData]]:
    found: list[type[EventData]] = []
    for module in (complaints, assignments, sla, feedback, hotspots):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, EventData) and "event_type" in vars(value):
                found.append(value)
    return found


REGISTRY = EventRegistry(_all_models())
# Older versions still on the topics (history is kept) are read as the current one.
REGISTRY.register_upcaster("huiyin.complaint.withdrawn.v1", complaints.upcast_withdrawn_v1)


def encode_event(event: Event[Any]) -> bytes:
    return jsonutil.dumps(event.to_wire())


def decode_event(raw: bytes) -> Event[EventData]:
    return REGISTRY.decode(raw)
