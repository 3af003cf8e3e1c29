"""Event contract: CloudEvents envelope, typed payloads, and the type registry."""

from huiyin.events.envelope import Event, EventData, new_event
from huiyin.events.registry import REGISTRY, EventDecodeError, decode_event, encode_event

__all__ = [
    "REGISTRY",
    "Event",
    "EventData",
    "EventDecodeError",
    "decode_event",
    "encode_event",
    "new_event",
]
