"""The event contract: envelope round trip, rejection of malformed or unknown messages, upcasting."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest

from huiyin import jsonutil
from huiyin.events import REGISTRY, EventDecodeError, decode_event, encode_event, new_event, topics
from huiyin.events.complaints import ComplaintSubmitted, Location
from huiyin.events.envelope import EventData
from huiyin.events.registry import EventRegistry

NOW = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


def submitted(**overrides: object) -> ComplaintSubmitted:
    fields: dict[str, object] = {
        "complaint_id": uuid.uuid4(),
        "tracking_code": "HY-7K3M9Q2P",
        "access_token_sha256": "a" * 64,
        "category": "noise",
        "priority": "normal",
        "description": "夜间施工噪音扰民，持续一周",
        "location": Location(lat=30.25, lon=120.16),
        "channel": "web",
        "submitted_at": NOW,
        "anonymous": True,
    }
    fields.update(overrides)
    return ComplaintSubmitted(**fields)  # type: ignore[arg-type]


def test_round_trip_keeps_every_attribute() -> None:
    event = new_event(submitted(), source="/huiyin/intake", time=NOW)
    wire = jsonutil.loads(encode_event(event))
    assert wire["specversion"] == "1.0"
    assert wire["type"] == "huiyin.complaint.submitted.v1"
    assert wire["subject"] == str(event.data.complaint_id)
    assert wire["datacontenttype"] == "application/json"
    assert decode_event(encode_event(event)) == event
    assert event.topic == topics.COMPLAINTS
    assert event.key == str(event.data.complaint_id)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{broken", "not JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"id": "1"}', "missing CloudEvents attributes"),
    ],
)
def test_malformed_messages_are_rejected(raw: bytes, message: str) -> None:
    with pytest.raises(EventDecodeError, match=message):
        decode_event(raw)


def test_unknown_type_is_rejected_not_guessed() -> None:
    wire = new_event(submitted(), source="/x", time=NOW).to_wire()
    wire["type"] = "huiyin.complaint.teleported.v1"
    with pytest.raises(EventDecodeError, match="unknown event type"):
        decode_event(jsonutil.dumps(wire))


def test_payload_that_breaks_the_schema_is_rejected() -> None:
    wire = new_event(submitted(), source="/x", time=NOW).to_wire()
    wire["data"]["priority"] = "whenever"
    with pytest.raises(EventDecodeError, match=r"invalid huiyin\.complaint\.submitted\.v1 payload"):
        decode_event(jsonutil.dumps(wire))


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        new_event(submitted(), source="/x", time=datetime(2026, 1, 1))


def test_every_event_type_is_registered_once_with_a_topic() -> None:
    types = REGISTRY.types()
    assert len(types) >= 20
    for name, model in types.items():
        assert re.fullmatch(r"huiyin\.[a-z_]+\.[a-z_]+\.v[0-9]+", name), name
        assert model.topic in topics.ALL


def test_upcaster_turns_an_old_version_into_the_current_one() -> None:
    registry = EventRegistry([ComplaintSubmitted])

    def v0_to_v1(data: dict[str, object]) -> tuple[str, dict[str, object]]:
        return "huiyin.complaint.submitted.v1", {**data, "access_token_sha256": "b" * 64}

    registry.register_upcaster("huiyin.complaint.submitted.v0", v0_to_v1)
    wire = new_event(submitted(), source="/x", time=NOW).to_wire()
    del wire["data"]["access_token_sha256"]
    wire["type"] = "huiyin.complaint.submitted.v0"
    event = registry.decode(jsonutil.dumps(wire))
    assert event.type == "huiyin.complaint.submitted.v1"
    assert isinstance(event.data, ComplaintSubmitted)
    assert event.data.access_token_sha256 == "b" * 64


def test_withdrawn_v1_from_the_topic_history_is_read_as_v2() -> None:
    from huiyin.events.complaints import ComplaintWithdrawn

    v2 = new_event(
        ComplaintWithdrawn(complaint_id=uuid.uuid4(), withdrawn_at=NOW, state_before="acknowledged"),
        source="/x",
        time=NOW,
    )
    wire = v2.to_wire()
    wire["type"] = "huiyin.complaint.withdrawn.v1"
    del wire["data"]["state_before"]
    old = decode_event(jsonutil.dumps(wire))
    assert old.type == "huiyin.complaint.withdrawn.v2"
    assert old.data == ComplaintWithdrawn(
        complaint_id=v2.data.complaint_id, withdrawn_at=NOW, state_before="unknown"
    )


def test_registering_a_type_twice_fails() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        EventRegistry([ComplaintSubmitted, ComplaintSubmitted])


def test_payloads_carry_no_contact_fields() -> None:
    forbidden = {"phone", "name", "email", "id_number", "contact"}
    for model in REGISTRY.types().values():
        assert issubclass(model, EventData)
        assert not forbidden & set(model.model_fields), model.event_type
