"""The per-process decoder: each message validated once, unhandled types skipped unvalidated."""

from __future__ import annotations

import pytest

from huiyin import jsonutil
from huiyin.events import REGISTRY, EventDecodeError, encode_event, new_event
from huiyin.events.complaints import ComplaintSubmitted
from huiyin.messaging.decoding import SharedDecoder
from tests.unit.platform.test_events_contract import NOW, submitted

SUBMITTED = ComplaintSubmitted.event_type


def raw_submitted() -> bytes:
    return encode_event(new_event(submitted(), source="/huiyin/intake", time=NOW))


def test_groups_of_one_process_share_one_decoded_event() -> None:
    decoder, raw = SharedDecoder(REGISTRY), raw_submitted()
    first = decoder.decode(raw, {SUBMITTED})
    again = decoder.decode(bytes(raw), {SUBMITTED, "huiyin.other"})  # equal bytes, new object
    assert first is not None and again is first
    assert (decoder.misses, decoder.hits) == (1, 1)


def test_a_type_the_group_does_not_handle_is_skipped_without_validation() -> None:
    wire = new_event(submitted(), source="/x", time=NOW).to_wire()
    wire["data"]["priority"] = "whenever"  # would fail validation, if it were validated
    decoder = SharedDecoder(REGISTRY)
    assert decoder.decode(jsonutil.dumps(wire), {"huiyin.assignment.assigned.v1"}) is None
    with pytest.raises(EventDecodeError, match="invalid"):
        decoder.decode(jsonutil.dumps(wire), {SUBMITTED})


def test_a_cached_event_is_still_skipped_by_a_group_that_does_not_want_it() -> None:
    decoder, raw = SharedDecoder(REGISTRY), raw_submitted()
    assert decoder.decode(raw, {SUBMITTED}) is not None
    assert decoder.decode(raw, {"huiyin.assignment.assigned.v1"}) is None
    assert decoder.hits == 1


def test_unknown_types_and_broken_messages_are_errors_even_when_unwanted() -> None:
    wire = new_event(submitted(), source="/x", time=NOW).to_wire()
    wire["type"] = "huiyin.complaint.teleported.v1"
    decoder = SharedDecoder(REGISTRY)
    with pytest.raises(EventDecodeError, match="unknown event type"):
        decoder.decode(jsonutil.dumps(wire), set())
    with pytest.raises(EventDecodeError, match="not JSON"):
        decoder.decode(b"{broken", set())


def test_the_cache_keeps_only_the_most_recent_messages() -> None:
    decoder = SharedDecoder(REGISTRY, capacity=2)
    a, b, c = raw_submitted(), raw_submitted(), raw_submitted()
    for raw in (a, b, c):
        decoder.decode(raw, {SUBMITTED})
    decoder.decode(a, {SUBMITTED})  # evicted by c: decoded again
    decoder.decode(c, {SUBMITTED})
    assert (decoder.misses, decoder.hits) == (4, 1)


def test_capacity_zero_caches_nothing() -> None:
    decoder, raw = SharedDecoder(REGISTRY, capacity=0), raw_submitted()
    decoder.decode(raw, {SUBMITTED})
    decoder.decode(raw, {SUBMITTED})
    assert (decoder.misses, decoder.hits) == (2, 0)
